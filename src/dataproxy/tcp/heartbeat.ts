import { FRAME_MAGIC, MSG_BIN_HEARTBEAT } from './frame.js';
import { TcpProtocolError } from './protocol-error.js';

/** The C++ SDK's heartbeat version byte (the Java SDK sends 2; DataProxy echoes either). */
const HEARTBEAT_VERSION = 1;

/**
 * A msgType-8 heartbeat as the C++ SDK sends it (spec §3): 18 bytes, version 1, no body, no attr.
 * Any inbound byte resets DataProxy's 3-minute read-idle timer; this is the cheapest one.
 * @example encodeHeartbeat(1_700_000_000_000) // 00 00 00 0e 08 65 53 f1 00 01 00 00 00 00 00 00 ee 01
 */
export function encodeHeartbeat(nowMs: number): Uint8Array {
  const frame = new Uint8Array(18);
  const view = new DataView(frame.buffer);
  view.setUint32(0, 14);
  view.setUint8(4, MSG_BIN_HEARTBEAT);
  view.setUint32(5, Math.floor(Math.max(0, nowMs) / 1000) % 2 ** 32);
  view.setUint8(9, HEARTBEAT_VERSION);
  // 10..15: bodyLen 0, attrLen 0.
  view.setUint16(16, FRAME_MAGIC);
  return frame;
}

/** DataProxy's heartbeat reply. */
export interface HeartbeatReply {
  /** Server time, seconds. */
  serverTime: number;
  version: number;
  /** The node's load; DataProxy always sends 0xFFFF ("unknown"). */
  load: number | undefined;
  attr: string;
}

/**
 * Reads a heartbeat reply (the frame after its 4 length bytes): `u8 8 | u32 time | u8 version |
 * u32 bodyLen | body (u16 load) | u16 attrLen | attr | u16 magic`. Throws `TcpProtocolError`
 * when lengths or magic disagree.
 * @example parseHeartbeatReply(frame).load // 65535
 */
export function parseHeartbeatReply(frame: Uint8Array): HeartbeatReply {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (frame.length < 14) throw new TcpProtocolError(`heartbeat reply of ${frame.length} bytes, shorter than its 14 fixed ones`);
  const bodyLen = view.getUint32(6);
  const attrAt = 10 + bodyLen;
  if (attrAt + 4 > frame.length) throw new TcpProtocolError(`heartbeat reply bodyLen ${bodyLen} runs past its ${frame.length}-byte frame`);
  const attrLen = view.getUint16(attrAt);
  if (attrAt + 2 + attrLen + 2 !== frame.length) throw new TcpProtocolError(`heartbeat reply lengths (body ${bodyLen}, attr ${attrLen}) disagree with its ${frame.length}-byte frame`);
  const magic = view.getUint16(attrAt + 2 + attrLen);
  if (magic !== FRAME_MAGIC) throw new TcpProtocolError(`heartbeat reply magic 0x${magic.toString(16)}, expected 0xee01`);
  return {
    serverTime: view.getUint32(1),
    version: view.getUint8(5),
    load: bodyLen >= 2 ? view.getUint16(10) : undefined,
    attr: new TextDecoder().decode(frame.subarray(attrAt + 2, attrAt + 2 + attrLen)),
  };
}
