import { parseAck, type Ack } from './ack.js';
import { MSG_BIN_HEARTBEAT, MSG_BIN_MULTI_BODY } from './frame.js';
import { parseHeartbeatReply, type HeartbeatReply } from './heartbeat.js';
import { TcpProtocolError } from './protocol-error.js';

/**
 * The Java SDK's client decoder limit (`LengthFieldBasedFrameDecoder(65536, …)`), the 4 length
 * bytes included: an ack echoes an attr of at most 32,767 bytes, so anything longer is garbage.
 */
export const MAX_REPLY_BYTES = 65_536;

/** What DataProxy sends back on a TCP connection. */
export type ServerFrame = ({ type: 'ack' } & Ack) | ({ type: 'heartbeat' } & HeartbeatReply);

export interface FrameReader {
  /**
   * Feeds received bytes; returns the frames they complete, in order. Throws `TcpProtocolError`
   * as soon as a length says more than `maxBytes` or a frame is not an ack or heartbeat reply.
   */
  push(chunk: Uint8Array): ServerFrame[];
  /** Bytes of a frame still incomplete. */
  buffered(): number;
}

/**
 * Splits a TCP byte stream into DataProxy's replies (`u32 totalLen` + that many bytes) and
 * parses each. A length is checked before its bytes are awaited, as Netty's failFast decoder
 * does, so a huge one is refused at once instead of being buffered.
 * @example const reader = createFrameReader(); for (const frame of reader.push(chunk)) handle(frame);
 */
export function createFrameReader(maxBytes = MAX_REPLY_BYTES): FrameReader {
  let rest = new Uint8Array(0);
  return {
    push(chunk) {
      let data = chunk;
      if (rest.length > 0) {
        data = new Uint8Array(rest.length + chunk.length);
        data.set(rest);
        data.set(chunk, rest.length);
      }
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      const frames: ServerFrame[] = [];
      let at = 0;
      while (data.length - at >= 4) {
        const total = view.getUint32(at);
        if (total + 4 > maxBytes) throw new TcpProtocolError(`reply totalLen ${total}: more than the ${maxBytes - 4} any DataProxy reply can have`);
        if (total === 0) throw new TcpProtocolError('reply totalLen 0');
        if (data.length - at - 4 < total) break;
        frames.push(parseServerFrame(data.subarray(at + 4, at + 4 + total)));
        at += 4 + total;
      }
      // A copy: the runtime may reuse the chunk's memory after this call.
      rest = data.slice(at);
      return frames;
    },
    buffered: () => rest.length,
  };
}

/**
 * One reply, from its bytes after the 4 length bytes: an ack (msgType 7, never with flag bits)
 * or a heartbeat reply (8). Anything else is a `TcpProtocolError`.
 * @example parseServerFrame(bytes).type // 'ack'
 */
export function parseServerFrame(frame: Uint8Array): ServerFrame {
  const msgType = frame[0];
  if (msgType === MSG_BIN_MULTI_BODY) return { type: 'ack', ...parseAck(frame) };
  if (msgType === MSG_BIN_HEARTBEAT) return { type: 'heartbeat', ...parseHeartbeatReply(frame) };
  throw new TcpProtocolError(`reply msgType 0x${(msgType ?? 0).toString(16)}: DataProxy answers msgType 7 with 7 and heartbeats with 8`);
}
