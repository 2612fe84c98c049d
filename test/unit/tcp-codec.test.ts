/**
 * The msgType-7 codec against the worked examples of spec inlong-tcp §1.5 and §3, byte for byte,
 * and its refusals: what no frame can carry is a typed error, never bytes on the wire.
 */
import * as snappy from 'snappyjs';
import { snappyZip } from '../../src/dataproxy/tcp/snappy.js';
import { describe, expect, it } from 'vitest';
import { readAckAttr } from '../../src/dataproxy/tcp/ack.js';
import { encodeFrame, encodeRecords, frameBytes, FLAG_SNAPPY, tcpIdProblem } from '../../src/dataproxy/tcp/frame.js';
import { isFrameEncodeError } from '../../src/dataproxy/tcp/frame-encode-error.js';
import { createFrameReader, parseServerFrame } from '../../src/dataproxy/tcp/frame-reader.js';
import { encodeHeartbeat } from '../../src/dataproxy/tcp/heartbeat.js';
import { isTcpProtocolError } from '../../src/dataproxy/tcp/protocol-error.js';

const hex = (text: string): Uint8Array => Uint8Array.from(text.trim().split(/\s+/).map((byte) => parseInt(byte, 16)));
const toHex = (bytes: Uint8Array): string => [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
const ascii = (text: string): string => toHex(new TextEncoder().encode(text));

/** Spec §1.5: the 69-byte request. */
const EXAMPLE_FRAME = hex(`
  00 00 00 41 07 00 00 00 00 00 04 65 53 f1 00 00 02 00 00 00 01
  00 00 00 12 00 00 00 05 68 65 6c 6c 6f 00 00 00 05 77 6f 72 6c 64
  00 16 67 72 6f 75 70 49 64 3d 67 31 26 73 74 72 65 61 6d 49 64 3d 73 31
  ee 01`);

/** Spec §1.5: the success ack (host 127.0.0.1, receive time 1700000000123 ms). */
const SUCCESS_ACK = hex(`
  00 00 00 41 07 00 00 00 01 00 38
  64 70 49 70 3d 31 32 37 2e 30 2e 30 2e 31 26 72 74 6d 73 3d 31 37 30 30 30 30 30 30 30 30 31 32 33
  26 67 72 6f 75 70 49 64 3d 67 31 26 73 74 72 65 61 6d 49 64 3d 73 31
  ee 01`);

const ERROR_ATTR = 'dpIp=127.0.0.1&errCode=115&errMsg=Topic not configured for groupId=(g1), streamId=(s1)&groupId=g1&streamId=s1';
/** Spec §1.5: the 115 ack, header `00 00 00 76 07 00 00 00 01 00 6d`, then the attr and magic. */
const ERROR_ACK = hex(`00 00 00 76 07 00 00 00 01 00 6d ${ascii(ERROR_ATTR)} ee 01`);

const example = { groupId: 'g1', streamId: 's1', dt: 1_700_000_000_000, uniq: 1, records: ['hello', 'world'] };

describe('msgType-7 frame', () => {
  it('encodes the spec worked example, 69 bytes byte for byte', () => {
    const frame = encodeFrame(example);
    expect(frame).toHaveLength(69);
    expect(toHex(frame)).toBe(toHex(EXAMPLE_FRAME));
    expect(frameBytes('g1', 's1', ['hello', 'world'])).toBe(69);
  });

  it('carries dt in whole seconds, uniq as a wrapping u32, cnt as the record count', () => {
    const frame = encodeFrame({ ...example, dt: 1_700_000_000_999, uniq: 2 ** 32 + 5, records: ['a', 'b', 'c'] });
    const view = new DataView(frame.buffer);
    expect(view.getUint32(11)).toBe(1_700_000_000);
    expect(view.getUint32(17)).toBe(5);
    expect(view.getUint16(15)).toBe(3);
    expect(view.getUint32(0)).toBe(frame.length - 4);
    expect(view.getUint32(0)).toBe(25 + view.getUint32(21) + 22);
  });

  it('frames UTF-8 records with \\n inside by length, not by separator', () => {
    const records = ['é€😀', 'line 1\nline 2', ''.padEnd(3, '\u0000')];
    const body = encodeRecords(records);
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const decoded: string[] = [];
    for (let at = 0; at < body.length; ) {
      const length = view.getUint32(at);
      decoded.push(new TextDecoder().decode(body.subarray(at + 4, at + 4 + length)));
      at += 4 + length;
    }
    expect(decoded).toEqual(records);
    expect(frameBytes('g', 's', records)).toBe(29 + 'groupId=g&streamId=s'.length + body.length);
  });

  it('Snappy-compresses a body above min_zip_len with flag 0x20 alone, and only then', () => {
    const records = Array.from({ length: 40 }, (_, index) => `{"n":${index},"event":"view_item","price":19.99}`);
    const zip = snappyZip(512);
    const frame = encodeFrame({ ...example, records }, zip);
    const view = new DataView(frame.buffer);
    expect(frame[4]).toBe(0x07 | FLAG_SNAPPY);
    const bodyLen = view.getUint32(21);
    expect(bodyLen).toBeLessThan(encodeRecords(records).length);
    expect(view.getUint32(0)).toBe(25 + bodyLen + 22);
    expect(snappy.uncompress(frame.subarray(25, 25 + bodyLen))).toEqual(encodeRecords(records));
    // At or below the threshold (C++: compress when longer than min_zip_len), plain.
    const small = encodeFrame({ ...example, records: ['x'.repeat(508)] }, zip);
    expect(small[4]).toBe(0x07);
  });

  it('sends a block that would not shrink uncompressed', () => {
    const random = Array.from({ length: 2000 }, (_, index) => String.fromCharCode(0x21 + ((index * 7919) % 90))).join('');
    const frame = encodeFrame({ ...example, records: [random] }, { minZipLen: 0, compress: () => new Uint8Array(5000) });
    expect(frame[4]).toBe(0x07);
  });

  it.each([
    ['a non-ASCII groupId', { groupId: 'grüppe' }, 'groupId'],
    ['& in a streamId', { streamId: 's&t' }, 'streamId'],
    ['= in a groupId', { groupId: 'g=1' }, 'groupId'],
    ['a space', { streamId: 's 1' }, 'streamId'],
    ['an empty groupId', { groupId: '' }, 'groupId'],
    ['an attr over 32,767 bytes', { groupId: 'g'.repeat(32_760) }, 'attr'],
    ['no records', { records: [] }, 'records'],
    ['65,536 records (cnt is u16)', { records: Array.from({ length: 65_536 }, () => 'r') }, 'records'],
  ])('refuses %s with a FrameEncodeError naming it', (_name, change, field) => {
    let caught: unknown;
    try {
      encodeFrame({ ...example, ...change });
    } catch (error) {
      caught = error;
    }
    expect(isFrameEncodeError(caught)).toBe(true);
    expect((caught as { field: string; code: string }).field).toBe(field);
    expect((caught as { code: string }).code).toBe('TCP_ENCODE');
  });

  it('takes 65,535 records, the most a u16 cnt holds', () => {
    const frame = encodeFrame({ ...example, records: Array.from({ length: 65_535 }, () => 'r') });
    expect(new DataView(frame.buffer).getUint16(15)).toBe(65_535);
    expect(tcpIdProblem('groupId', 'shop_events-1.v2')).toBeUndefined();
  });
});

describe('acks and heartbeats', () => {
  it('reads the spec success ack: uniq 1, no errCode', () => {
    const [frame] = createFrameReader().push(SUCCESS_ACK);
    expect(frame).toEqual({ type: 'ack', uniq: 1, code: 0, message: '', attr: 'dpIp=127.0.0.1&rtms=1700000000123&groupId=g1&streamId=s1' });
  });

  it('reads the spec 115 ack: errMsg with = ( ) and spaces kept whole', () => {
    expect(ERROR_ACK.subarray(0, 11)).toEqual(hex('00 00 00 76 07 00 00 00 01 00 6d'));
    const [frame] = createFrameReader().push(ERROR_ACK);
    expect(frame).toMatchObject({ type: 'ack', uniq: 1, code: 115, message: 'Topic not configured for groupId=(g1), streamId=(s1)' });
  });

  it('splits the attr on &, then on the first =, and trusts only the first errCode', () => {
    expect(readAckAttr('dpIp=0.0.0.0&errCode=114&errMsg=Put msg event to channel failure: a=b&errCode=0&groupId=g')).toEqual({ code: 114, message: 'Put msg event to channel failure: a=b' });
    expect(readAckAttr('rtms=1&groupId=g&streamId=s')).toEqual({ code: 0, message: '' });
    expect(readAckAttr('dpIp=1.2.3.4&errCode=0')).toEqual({ code: 0, message: '' });
    expect(readAckAttr('dpIp=1.2.3.4&errCode=oops')).toEqual({ code: undefined, message: '' });
    expect(readAckAttr('errCode=1&errMsg=Service sink not ready')).toEqual({ code: 1, message: 'Service sink not ready' });
  });

  it('encodes the C++ heartbeat and reads the spec reply', () => {
    expect(toHex(encodeHeartbeat(0x6553f100 * 1000 + 999))).toBe('00 00 00 0e 08 65 53 f1 00 01 00 00 00 00 00 00 ee 01');
    const [reply] = createFrameReader().push(hex('00 00 00 10 08 65 53 f1 01 01 00 00 00 02 ff ff 00 00 ee 01'));
    expect(reply).toEqual({ type: 'heartbeat', serverTime: 0x6553f101, version: 1, load: 0xffff, attr: '' });
  });

  it('reassembles frames split at every byte and several in one chunk', () => {
    const stream = new Uint8Array([...SUCCESS_ACK, ...ERROR_ACK, ...SUCCESS_ACK]);
    const reader = createFrameReader();
    const frames = [...stream].flatMap((byte) => reader.push(Uint8Array.of(byte)));
    expect(frames.map((frame) => (frame.type === 'ack' ? frame.code : -1))).toEqual([0, 115, 0]);
    expect(reader.buffered()).toBe(0);
    expect(createFrameReader().push(stream)).toHaveLength(3);
  });

  it.each([
    ['a bad magic', () => { const bytes = SUCCESS_ACK.slice(); bytes[bytes.length - 1] = 0x02; return bytes; }, /magic 0xee02/],
    ['a huge totalLen, before its bytes arrive', () => hex('7f ff ff ff 07'), /totalLen 2147483647/],
    ['an unknown msgType', () => hex('00 00 00 05 03 00 00 00 01'), /msgType 0x3/],
    ['a legacy msgType-1 heartbeat reply', () => hex('00 00 00 01 01'), /msgType 0x1/],
    ['an ack whose attrLen disagrees with totalLen', () => { const bytes = SUCCESS_ACK.slice(); bytes[10] = 0x30; return bytes; }, /attrLen 48/],
    ['an ack with flag bits', () => { const bytes = SUCCESS_ACK.slice(); bytes[4] = 0x27; return bytes; }, /msgType 0x27/],
  ])('refuses %s with a TcpProtocolError', (_name, bytes, message) => {
    let caught: unknown;
    try {
      createFrameReader().push(bytes());
    } catch (error) {
      caught = error;
    }
    expect(isTcpProtocolError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(message);
    expect(() => parseServerFrame(hex('09 00'))).toThrow(/msgType 0x9/);
  });
});
