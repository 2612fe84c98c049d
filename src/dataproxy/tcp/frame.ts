import { utf8Length } from '../../core/utf8.js';
import { FrameEncodeError } from './frame-encode-error.js';
import { tcpIdProblem } from './ids.js';

export { tcpIdProblem } from './ids.js';

/**
 * DataProxy's TCP v0 protocol, msgType 7 (spec inlong-tcp §0–1, big-endian throughout):
 * `u32 totalLen | u8 msgType | u16 groupIdNum | u16 streamIdNum | u16 extField | u32 dt (s) |
 * u16 cnt | u32 uniq | u32 bodyLen | body | u16 attrLen | attr | u16 magic`, with
 * `totalLen = 25 + bodyLen + attrLen` exactly: DataProxy acks a longer frame and the downstream
 * parser then drops it.
 */
export const MSG_BIN_MULTI_BODY = 7;
/** msgType 8, the binary heartbeat (spec §3). */
export const MSG_BIN_HEARTBEAT = 8;
/** msgType flag: the body is a raw Snappy block. Alone: downstream reads `(type & 0xE0) >> 5 === 1`. */
export const FLAG_SNAPPY = 0x20;
/** extField bit: ids travel as text in the attr (`groupId=..&streamId=..`), as the C++ SDK sends them. */
export const EXT_TEXT_IDS = 0x4;
/** The trailing magic of every v0 frame. */
export const FRAME_MAGIC = 0xee01;
/** Fixed bytes of a msgType-7 frame around body and attr, the 4 length bytes included. */
export const FRAME_OVERHEAD = 29;
/** `cnt` is a u16. */
export const MAX_RECORDS_PER_FRAME = 65_535;
/** `attrLen` is read as a signed short. */
export const MAX_ATTR_BYTES = 32_767;

/** One pack as a frame carries it. */
export interface FrameInput {
  groupId: string;
  streamId: string;
  /** Data time in ms; the frame carries whole seconds. */
  dt: number;
  /** Matches the ack to the frame; written as u32 (wraps). */
  uniq: number;
  records: readonly string[];
}

/** Snappy for bodies longer than `minZipLen` bytes (the C++ SDK's `enable_zip` / `min_zip_len`). */
export interface FrameZip {
  minZipLen: number;
  /** Raw Snappy block compression (no framing format). */
  compress(bytes: Uint8Array): Uint8Array;
}

const encoder = new TextEncoder();

/**
 * The attr of a pack, `groupId=<g>&streamId=<s>`; throws `FrameEncodeError` when it cannot be carried.
 * @example frameAttr('g1', 's1') // 'groupId=g1&streamId=s1'
 */
export function frameAttr(groupId: string, streamId: string): string {
  for (const [field, id] of [['groupId', groupId], ['streamId', streamId]] as const) {
    const problem = tcpIdProblem(field, id);
    if (problem) throw new FrameEncodeError(field, problem);
  }
  const attr = `groupId=${groupId}&streamId=${streamId}`;
  if (attr.length > MAX_ATTR_BYTES) throw new FrameEncodeError('attr', `attr of ${attr.length} bytes, more than the ${MAX_ATTR_BYTES} a signed attrLen allows`);
  return attr;
}

/**
 * The records as msgType 7 carries them: `u32 length + UTF-8 bytes` each, so a record may hold
 * `\n` or anything else.
 * @example encodeRecords(['hello', 'world']).length // 18
 */
export function encodeRecords(records: readonly string[]): Uint8Array {
  // Records are mostly ASCII: start at the UTF-16 length and grow when one does not fit.
  let capacity = records.length * 4;
  for (const record of records) capacity += record.length;
  let buffer = new Uint8Array(capacity);
  let view = new DataView(buffer.buffer);
  let at = 0;
  for (const record of records) {
    for (;;) {
      if (buffer.length - at >= 4) {
        const { read, written } = encoder.encodeInto(record, buffer.subarray(at + 4));
        if (read === record.length) {
          view.setUint32(at, written);
          at += 4 + written;
          break;
        }
      }
      const grown = new Uint8Array(Math.max(buffer.length * 2, at + 4 + record.length * 3));
      grown.set(buffer.subarray(0, at));
      buffer = grown;
      view = new DataView(buffer.buffer);
    }
  }
  return buffer.subarray(0, at);
}

/**
 * One msgType-7 frame, ready for the socket: text ids (extField 0x4), `cnt` = records, `dt` in
 * seconds, exact `totalLen`, magic 0xEE01; the body Snappy-compressed (flag 0x20 alone) when
 * `zip` is given, the body is longer than `minZipLen` and compression makes it smaller. Throws
 * `FrameEncodeError` for a pack no frame can carry.
 * @example encodeFrame({ groupId: 'g1', streamId: 's1', dt: 1_700_000_000_000, uniq: 1, records: ['hello', 'world'] }).length // 69
 */
export function encodeFrame(input: FrameInput, zip?: FrameZip): Uint8Array {
  const { records } = input;
  if (records.length === 0) throw new FrameEncodeError('records', 'no records: a frame needs at least one (bodyLen 0 is errCode 105)');
  if (records.length > MAX_RECORDS_PER_FRAME) throw new FrameEncodeError('records', `${records.length} records, more than the ${MAX_RECORDS_PER_FRAME} a u16 cnt counts`);
  const attr = frameAttr(input.groupId, input.streamId);
  let body = encodeRecords(records);
  let msgType = MSG_BIN_MULTI_BODY;
  if (zip && body.length > zip.minZipLen) {
    const compressed = zip.compress(body);
    // DataProxy takes either; a block that did not shrink would only cost it bytes.
    if (compressed.length < body.length) {
      body = compressed;
      msgType |= FLAG_SNAPPY;
    }
  }
  const frame = new Uint8Array(FRAME_OVERHEAD + body.length + attr.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, frame.length - 4);
  view.setUint8(4, msgType);
  // 5..8: groupIdNum and streamIdNum stay 0 (text ids).
  view.setUint16(9, EXT_TEXT_IDS);
  view.setUint32(11, seconds(input.dt));
  view.setUint16(15, records.length);
  view.setUint32(17, input.uniq >>> 0);
  view.setUint32(21, body.length);
  frame.set(body, 25);
  let at = 25 + body.length;
  view.setUint16(at, attr.length);
  at += 2;
  // The attr is checked ASCII above: one byte per character.
  for (let index = 0; index < attr.length; index++) frame[at + index] = attr.charCodeAt(index);
  view.setUint16(at + attr.length, FRAME_MAGIC);
  return frame;
}

/**
 * The wire size of a frame for `records` without compression: what `max-msg-length` (which
 * counts the 4 length bytes) is compared with. Compression only ever makes a frame smaller.
 * @example frameBytes('g1', 's1', ['hello', 'world']) // 69
 */
export function frameBytes(groupId: string, streamId: string, records: readonly string[]): number {
  let total = FRAME_OVERHEAD + `groupId=${groupId}&streamId=${streamId}`.length;
  for (const record of records) total += 4 + utf8Length(record);
  return total;
}

const seconds = (ms: number): number => (Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) % 2 ** 32 : 0);
