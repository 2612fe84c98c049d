/**
 * The DataProxy TCP stand-in itself, driven by a raw `node:net` client with hand-built frames:
 * exact acks (spec §1.2, §1.5), the validation order of §2, closes without reply, heartbeats,
 * idle and high-water closes, and the counts of frames the real server would ack and lose — so
 * that tests which assert those counts are 0 could fail.
 */
import { connect, type Socket } from 'node:net';
import * as snappy from 'snappyjs';
import { afterEach, describe, expect, it } from 'vitest';
import { startTcpDataProxy, type TcpDataProxyNode, type TcpDataProxyOptions } from '../helpers/dataproxy-tcp-fixture.js';

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function node(options?: TcpDataProxyOptions): Promise<TcpDataProxyNode> {
  const started = await startTcpDataProxy(options);
  stops.push(started.stop);
  return started;
}

/** A raw client: writes bytes, collects whole reply frames, notices the close. */
async function client(port: number) {
  const socket: Socket = connect({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  stops.push(async () => void socket.destroy());
  const replies: Buffer[] = [];
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
      const total = pending.readUInt32BE(0);
      replies.push(pending.subarray(0, 4 + total));
      pending = pending.subarray(4 + total);
    }
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const waitReplies = async (count: number): Promise<Buffer[]> => {
    const deadline = Date.now() + 2000;
    while (replies.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    return replies;
  };
  return { socket, replies, closed, waitReplies, send: (bytes: Uint8Array) => socket.write(bytes) };
}

interface FrameParts {
  msgType?: number;
  extField?: number;
  groupIdNum?: number;
  cnt?: number;
  uniq?: number;
  body?: Buffer;
  attr?: string;
  magic?: number;
  trailing?: number;
}

const recordsBody = (records: string[]): Buffer => Buffer.concat(records.map((record) => {
  const bytes = Buffer.from(record, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}));

/** A msgType-7 frame from its parts (defaults: the spec's worked example). */
function frame(parts: FrameParts = {}): Buffer {
  const body = parts.body ?? recordsBody(['hello', 'world']);
  const attr = Buffer.from(parts.attr ?? 'groupId=g1&streamId=s1', 'utf8');
  const trailing = parts.trailing ?? 0;
  const out = Buffer.alloc(29 + body.length + attr.length + trailing);
  out.writeUInt32BE(out.length - 4, 0);
  out.writeUInt8(parts.msgType ?? 7, 4);
  out.writeUInt16BE(parts.groupIdNum ?? 0, 5);
  out.writeUInt16BE(parts.extField ?? 4, 9);
  out.writeUInt32BE(1_700_000_000, 11);
  out.writeUInt16BE(parts.cnt ?? 2, 15);
  out.writeUInt32BE(parts.uniq ?? 1, 17);
  out.writeUInt32BE(body.length, 21);
  body.copy(out, 25);
  out.writeUInt16BE(attr.length, 25 + body.length);
  attr.copy(out, 27 + body.length);
  out.writeUInt16BE(parts.magic ?? 0xee01, 27 + body.length + attr.length);
  return out;
}

/** An ack's uniq and attr, after checking its layout (§1.1). */
function readAck(reply: Buffer | undefined): { uniq: number; attr: string } {
  if (!reply) throw new Error('no reply');
  expect(reply.readUInt8(4)).toBe(7);
  const attrLen = reply.readUInt16BE(9);
  expect(reply.readUInt32BE(0)).toBe(9 + attrLen);
  expect(reply.readUInt16BE(11 + attrLen)).toBe(0xee01);
  return { uniq: reply.readUInt32BE(5), attr: reply.subarray(11, 11 + attrLen).toString('utf8') };
}

describe('DataProxy TCP stand-in', () => {
  it('stores the spec example and acks it with dpIp, rtms and the echoed attr', async () => {
    const dp = await node();
    const peer = await client(dp.port);
    peer.send(frame());
    const [reply] = await peer.waitReplies(1);
    const { uniq, attr } = readAck(reply);
    expect(uniq).toBe(1);
    expect(attr).toMatch(/^dpIp=127\.0\.0\.1&rtms=\d{13}&groupId=g1&streamId=s1$/);
    expect(reply?.length).toBe(4 + 9 + attr.length);
    expect(dp.records()).toEqual(['hello', 'world']);
    expect(dp.received[0]).toMatchObject({ groupId: 'g1', streamId: 's1', dt: 1_700_000_000, cnt: 2, extField: 4, storedWithoutAck: false });
  });

  it('answers an unknown group/stream with 115 and the raw attr, exactly as spec §1.5', async () => {
    const dp = await node({ allowedStreams: ['other'] });
    const peer = await client(dp.port);
    peer.send(frame());
    const [reply] = await peer.waitReplies(1);
    expect(readAck(reply).attr).toBe('dpIp=127.0.0.1&errCode=115&errMsg=Topic not configured for groupId=(g1), streamId=(s1)&groupId=g1&streamId=s1');
    expect(reply?.subarray(0, 11)).toEqual(Buffer.from([0, 0, 0, 0x76, 7, 0, 0, 0, 1, 0, 0x6d]));
    expect(dp.records()).toEqual([]);
  });

  it('validates in the order of spec §2, the connection kept open after each error ack', async () => {
    const dp = await node();
    const peer = await client(dp.port);
    const cases: Array<[FrameParts, number, RegExp]> = [
      [{ body: Buffer.alloc(0), uniq: 10 }, 105, /^dpIp=127\.0\.0\.1&errCode=105&errMsg=[^&]+$/],
      [{ magic: 0xbeef, uniq: 11 }, 94, /^dpIp=127\.0\.0\.1&errCode=94&errMsg=magicInMsg\(48879\) != 60929$/],
      [{ attr: 'groupId=g1&&streamId=s1', uniq: 12 }, 109, /&groupId=g1&&streamId=s1$/],
      [{ attr: 'groupId=g1&groupId=g2', uniq: 13 }, 109, /errCode=109/],
      [{ extField: 0x8 | 0x4, uniq: 14 }, 112, /errCode=112.*&groupId=g1&streamId=s1$/],
      [{ attr: 'streamId=s1', uniq: 15 }, 100, /errCode=100/],
      [{ extField: 0, groupIdNum: 0, uniq: 16 }, 100, /errCode=100/],
    ];
    for (const [parts] of cases) peer.send(frame(parts));
    const replies = await peer.waitReplies(cases.length);
    cases.forEach(([parts, code, pattern], index) => {
      const { uniq, attr } = readAck(replies[index]);
      expect(uniq).toBe(parts.uniq);
      expect(attr).toContain(`errCode=${code}`);
      expect(attr).toMatch(pattern);
    });
    dp.setState('reject');
    peer.send(frame({ uniq: 20 }));
    await peer.waitReplies(cases.length + 1);
    dp.setState('mq-not-ready');
    peer.send(frame({ uniq: 21 }));
    await peer.waitReplies(cases.length + 2);
    expect(peer.replies.slice(-2).map((reply) => readAck(reply).attr)).toEqual([
      'dpIp=127.0.0.1&errCode=2&errMsg=Service closed&groupId=g1&streamId=s1',
      'dpIp=127.0.0.1&errCode=1&errMsg=Sink service unready&groupId=g1&streamId=s1',
    ]);
    expect(dp.records()).toEqual([]);
    expect(peer.socket.destroyed).toBe(false);
  });

  it('closes without a reply on a too-long length (before its bytes), an unknown msgType, a short frame', async () => {
    const dp = await node({ maxMsgLength: 1024 });
    const tooLong = await client(dp.port);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(1021);
    tooLong.send(length);
    await tooLong.closed;
    const unknown = await client(dp.port);
    unknown.send(frame({ msgType: 0x0b }));
    await unknown.closed;
    const short = await client(dp.port);
    short.send(Buffer.from([0, 0, 0, 5, 7, 0, 0, 0, 0]));
    await short.closed;
    expect([tooLong.replies, unknown.replies, short.replies]).toEqual([[], [], []]);
    expect(dp.closes).toMatchObject({ tooLong: 1, unknownType: 1, short: 1 });
    // 1020 + 4 = 1024 is still within the limit.
    const fits = await client(dp.port);
    fits.send(frame({ body: recordsBody(['x'.repeat(1024 - 29 - 22 - 4)]), cnt: 1 }));
    expect(readAck((await fits.waitReplies(1))[0]).attr).toMatch(/rtms=/);
  });

  it('answers heartbeats as buildHBRspPackage does, and the legacy type 1 with its 5 bytes', async () => {
    const dp = await node();
    const peer = await client(dp.port);
    peer.send(Buffer.from('0000000e086553f10001000000000000ee01', 'hex'));
    peer.send(Buffer.from('0000000101', 'hex'));
    const [heartbeat, legacy] = await peer.waitReplies(2);
    expect(heartbeat?.subarray(0, 5).toString('hex')).toBe('0000001008');
    expect(heartbeat?.subarray(9).toString('hex')).toBe('0100000002ffff0000ee01');
    expect(legacy?.toString('hex')).toBe('0000000101');
    expect(dp.heartbeats).toBe(1);
  });

  it('closes a connection idle past maxReadIdleTime; heartbeats keep another one open', async () => {
    const dp = await node({ maxReadIdleMs: 150 });
    const idle = await client(dp.port);
    const kept = await client(dp.port);
    const beat = setInterval(() => kept.send(Buffer.from('0000000e086553f10001000000000000ee01', 'hex')), 50);
    await idle.closed;
    await new Promise((resolve) => setTimeout(resolve, 300));
    clearInterval(beat);
    expect(kept.socket.destroyed).toBe(false);
    expect(dp.closes.idle).toBe(1);
  });

  it('drops a client that stops reading its acks once they pass the high-water mark', async () => {
    const dp = await node();
    const peer = await client(dp.port);
    peer.socket.pause();
    const batch = Buffer.concat(Array.from({ length: 1000 }, (_, index) => frame({ uniq: index })));
    for (let round = 0; round < 400 && dp.closes.highWater === 0; round++) {
      peer.send(batch);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(dp.closes.highWater).toBe(1);
  });

  it('counts what it acks and the downstream parser would drop: trailing bytes, cnt, Snappy, framing, flags', async () => {
    const dp = await node();
    const peer = await client(dp.port);
    const good = recordsBody(['a', 'b']);
    peer.send(frame({ trailing: 1 }));
    peer.send(frame({ cnt: 3, body: good }));
    peer.send(frame({ msgType: 0x27, body: Buffer.from(snappy.compress(new Uint8Array(good))).subarray(0, 5) }));
    peer.send(frame({ body: Buffer.concat([good, Buffer.from([0, 0, 0, 9, 1])]) }));
    peer.send(frame({ msgType: 0x67, body: Buffer.from(snappy.compress(new Uint8Array(good))) }));
    peer.send(frame({ msgType: 0x27, body: Buffer.from(snappy.compress(new Uint8Array(good))) }));
    const replies = await peer.waitReplies(6);
    expect(replies.map((reply) => readAck(reply).attr).every((attr) => !attr.includes('errCode'))).toBe(true);
    expect(dp.lost).toEqual({ trailingBytes: 1, cntMismatch: 1, corruptSnappy: 1, badFraming: 1, badFlags: 1 });
    // Only the cnt-mismatch frame (kept) and the good Snappy frame hold records.
    expect(dp.records()).toEqual(['a', 'b', 'a', 'b']);
    expect(dp.received.at(-1)?.compressed).toBe(true);
  });
});
