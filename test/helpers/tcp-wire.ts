/**
 * DataProxy's side of the TCP v0 protocol (spec inlong-tcp §0–4), written from the spec and
 * independently of src/dataproxy/tcp: `CodecBinMsg.descMsg`'s reading order, Guava's attr
 * splitting, the ack and heartbeat replies of `ServerMessageHandler`, and what the downstream
 * `InLongMsg` parser would then drop although the frame was acked.
 */
import * as snappy from 'snappyjs';

export const MAGIC = 0xee01;

/** `ServerMessageHandler.buildBinMsgRspPackage`: `u32 9+attrLen | 0x07 | u32 uniq | u16 attrLen | attr | magic`. */
export function buildAck(uniq: number, attr: string): Buffer {
  const text = Buffer.from(attr, 'utf8');
  const ack = Buffer.alloc(13 + text.length);
  ack.writeUInt32BE(9 + text.length, 0);
  ack.writeUInt8(7, 4);
  ack.writeUInt32BE(uniq >>> 0, 5);
  ack.writeUInt16BE(text.length, 9);
  text.copy(ack, 11);
  ack.writeUInt16BE(MAGIC, 11 + text.length);
  return ack;
}

/**
 * `responseV0Msg`'s attr (§1.2): `dpIp=<ip>`, then `&errCode=N[&errMsg=..]` unless success, then
 * `&` + the echoed attr when there is one.
 */
export function ackAttr(dpIp: string, code: number, msg: string, echoed: string): string {
  let attr = `dpIp=${dpIp}`;
  if (code !== 0) {
    attr += `&errCode=${code}`;
    if (msg !== '') attr += `&errMsg=${msg}`;
  }
  return echoed === '' ? attr : `${attr}&${echoed}`;
}

/** `buildHBRspPackage` (§3): load 0 is sent as 0xFFFF, the request attr echoed. */
export function buildHeartbeatReply(version: number, attr: Buffer, nowMs: number): Buffer {
  const reply = Buffer.alloc(20 + attr.length);
  reply.writeUInt32BE(16 + attr.length, 0);
  reply.writeUInt8(8, 4);
  reply.writeUInt32BE(Math.floor(nowMs / 1000) >>> 0, 5);
  reply.writeUInt8(version, 9);
  reply.writeUInt32BE(2, 10);
  reply.writeUInt16BE(0xffff, 14);
  reply.writeUInt16BE(attr.length, 16);
  attr.copy(reply, 18);
  reply.writeUInt16BE(MAGIC, 18 + attr.length);
  return reply;
}

/** A heartbeat request's version and attr, or null when DataProxy would close on it (§3). */
export function readHeartbeat(frame: Buffer): { version: number; attr: Buffer } | null {
  const total = frame.readUInt32BE(0);
  if (total < 14 || frame.length < 18) return null;
  const bodyLen = frame.readUInt32BE(10);
  const attrAt = 14 + bodyLen;
  if (attrAt + 2 > frame.length) return null;
  const attrLen = frame.readUInt16BE(attrAt);
  if (attrAt + 2 + attrLen + 2 !== frame.length || frame.readUInt16BE(attrAt + 2 + attrLen) !== MAGIC) return null;
  return { version: frame.readUInt8(9), attr: frame.subarray(attrAt + 2, attrAt + 2 + attrLen) };
}

/** The fields `descMsg` reads from a msgType-7 frame, or why it closes the connection instead. */
export type DescribedFrame =
  | { kind: 'close'; reason: 'short' | 'out-of-frame' }
  | { kind: 'frame'; msgType: number; extField: number; dt: number; cnt: number; uniq: number; bodyLen: number; attrLen: number; magic: number; body: Buffer; attrText: string; trailing: number };

/** `CodecBinMsg.descMsg` (§2 steps 4–5): offsets first (outside the frame → close), then values. */
export function describeFrame(frame: Buffer): DescribedFrame {
  const total = frame.readUInt32BE(0);
  if (total < 25) return { kind: 'close', reason: 'short' };
  const bodyLen = frame.readInt32BE(21);
  const attrAt = 25 + bodyLen;
  if (attrAt < 0 || attrAt + 2 > frame.length) return { kind: 'close', reason: 'out-of-frame' };
  const attrLen = frame.readInt16BE(attrAt);
  const magicAt = attrAt + 2 + attrLen;
  if (magicAt < 0 || magicAt + 2 > frame.length) return { kind: 'close', reason: 'out-of-frame' };
  const body = bodyLen > 0 ? frame.subarray(25, 25 + bodyLen) : Buffer.alloc(0);
  // Java decodes the attr bytes as UTF-8 into a String.
  const attrText = attrLen > 0 ? frame.subarray(attrAt + 2, attrAt + 2 + attrLen).toString('utf8') : '';
  return {
    kind: 'frame',
    msgType: frame.readUInt8(4),
    extField: frame.readUInt16BE(9),
    dt: frame.readUInt32BE(11),
    cnt: frame.readUInt16BE(15),
    uniq: frame.readUInt32BE(17),
    bodyLen,
    attrLen,
    magic: frame.readUInt16BE(magicAt),
    body,
    attrText,
    trailing: frame.length - (magicAt + 2),
  };
}

/**
 * Guava `Splitter.on('&').withKeyValueSeparator('=')` (§1.4 code 109): every entry exactly one
 * `=`, no empty entry, no duplicate key; null when it would throw.
 */
export function splitAttr(attr: string): Map<string, string> | null {
  const map = new Map<string, string>();
  if (attr === '') return map;
  for (const entry of attr.split('&')) {
    const parts = entry.split('=');
    if (parts.length !== 2 || map.has(parts[0] ?? '')) return null;
    map.set(parts[0] ?? '', parts[1] ?? '');
  }
  return map;
}

/** What `InLongMsg.parseBinMsg` would make of an acked body; `lost` names why it would drop it. */
export function decodeBody(described: Extract<DescribedFrame, { kind: 'frame' }>): { records: string[]; compressed: boolean; lost?: 'bad-flags' | 'corrupt-snappy' | 'bad-framing' } {
  const zipType = (described.msgType & 0xe0) >> 5;
  // Only zipType 1 is Snappy; 0x20|0x40 reads as 3: "not compressed", and the bytes are garbage then.
  if (zipType !== 0 && zipType !== 1) return { records: [], compressed: false, lost: 'bad-flags' };
  let body: Buffer = described.body;
  if (zipType === 1) {
    try {
      body = Buffer.from(snappy.uncompress(new Uint8Array(body), 64 * 1024 * 1024));
    } catch {
      // snappyjs throws on a truncated or invalid block: exactly the frame InLongMsg drops.
      return { records: [], compressed: true, lost: 'corrupt-snappy' };
    }
  }
  const records: string[] = [];
  const perRecordAttr = (described.extField & 0x1) !== 0;
  for (let at = 0; at < body.length; ) {
    if (at + 4 > body.length) return { records, compressed: zipType === 1, lost: 'bad-framing' };
    const length = body.readUInt32BE(at);
    if (at + 4 + length > body.length) return { records, compressed: zipType === 1, lost: 'bad-framing' };
    records.push(body.subarray(at + 4, at + 4 + length).toString('utf8'));
    at += 4 + length;
    if (perRecordAttr) {
      if (at + 4 > body.length) return { records, compressed: zipType === 1, lost: 'bad-framing' };
      at += 4 + body.readUInt32BE(at);
    }
  }
  return { records, compressed: zipType === 1 };
}
