import { FRAME_MAGIC } from './frame.js';
import { TcpProtocolError } from './protocol-error.js';

/** DataProxy's answer to one msgType-7 frame (spec §1.1). */
export interface Ack {
  uniq: number;
  /** `k=v&k=v`: `dpIp`, then `errCode`/`errMsg` on failure, then the (rewritten) request attr. */
  attr: string;
  /** 0 when `errCode` is absent (success), else its value; `undefined` when it is not a number. */
  code: number | undefined;
  /** `errMsg`, or '' on success. */
  message: string;
}

const decoder = new TextDecoder();

/**
 * Reads an ack (the frame after its 4 length bytes): `u8 7 | u32 uniq | u16 attrLen | attr |
 * u16 magic`, exactly `9 + attrLen` bytes. Throws `TcpProtocolError` when that does not hold.
 * @example parseAck(frame) // { uniq: 1, code: 0, message: '', attr: 'dpIp=127.0.0.1&rtms=…' }
 */
export function parseAck(frame: Uint8Array): Ack {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (frame.length < 9) throw new TcpProtocolError(`ack of ${frame.length} bytes, shorter than its 9 fixed ones`);
  const attrLen = view.getUint16(5);
  if (9 + attrLen !== frame.length) throw new TcpProtocolError(`ack attrLen ${attrLen} disagrees with its ${frame.length}-byte frame`);
  const magic = view.getUint16(7 + attrLen);
  if (magic !== FRAME_MAGIC) throw new TcpProtocolError(`ack magic 0x${magic.toString(16)}, expected 0xee01`);
  const attr = decoder.decode(frame.subarray(7, 7 + attrLen));
  return { uniq: view.getUint32(1), attr, ...readAckAttr(attr) };
}

/**
 * `errCode` and `errMsg` of an ack attr, split as DataProxy builds it (spec §1.2): on `&`, then
 * on the first `=` of each entry. Only the first `errCode` counts — it precedes `errMsg`, whose
 * free text may hold `&`, `=` or even `errCode=`. Absent or `0` means success.
 * @example readAckAttr('dpIp=1.2.3.4&errCode=115&errMsg=Topic not configured for groupId=(g1)') // { code: 115, message: 'Topic not configured for groupId=(g1)' }
 */
export function readAckAttr(attr: string): { code: number | undefined; message: string } {
  let code: number | undefined = 0;
  let message = '';
  let seenCode = false;
  let seenMessage = false;
  for (const entry of attr.split('&')) {
    const equals = entry.indexOf('=');
    const key = equals === -1 ? entry : entry.slice(0, equals);
    const value = equals === -1 ? '' : entry.slice(equals + 1);
    if (key === 'errCode' && !seenCode) {
      seenCode = true;
      code = /^\s*-?\d+\s*$/.test(value) ? Number(value) : undefined;
    } else if (key === 'errMsg' && !seenMessage) {
      seenMessage = true;
      message = value;
    }
  }
  return { code, message };
}
