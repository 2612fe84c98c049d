import type { Endpoint } from '../../core/delivery.js';
import { classify, type Outcome } from '../../core/retry-policy.js';
import type { Clock, Pack, SocketConnector } from '../../core/types.js';
import type { NodeRoute } from '../dataproxy-endpoint.js';
import type { FrameResult } from './connection.js';
import { encodeFrame, type FrameZip } from './frame.js';
import { isFrameEncodeError } from './frame-encode-error.js';
import { createTcpPool } from './tcp-pool.js';

export interface TcpEndpointOptions {
  clock: Clock;
  connector: SocketConnector;
  /** The nodes (`tcp://host:port`) for a group: one static pool, or one discovered per group. */
  route: (groupId: string) => NodeRoute;
  /** How long to wait for an ack, ms; then the pack is retried on another node. */
  timeoutMs: number;
  /** DataProxy `max-msg-length`, the 4 length bytes included: a longer frame is closed on, unanswered. */
  maxFrameBytes: number;
  /** Snappy above `minZipLen` (C++ `enable_zip`); none when absent. */
  zip?: FrameZip;
  /** Frames awaiting their ack per connection. */
  window: number;
  heartbeatMs: number;
  idleMs: number;
  connectTimeoutMs?: number;
  /** A connection ended with an error (reset, garbage, silence): nothing is lost by it. */
  onError?: (error: Error, node: string) => void;
}

/** The TCP endpoint, plus one attempt at a time for callers with their own retry loop (the bridge). */
export interface TcpEndpoint extends Endpoint {
  /** One attempt on the next node of the pack's group, as `postPack` does over HTTP. Never rejects. */
  sendPack(pack: Pick<Pack, 'groupId' | 'streamId' | 'dt' | 'records'>, timeoutMs: number): Promise<{ outcome: Outcome; node?: string }>;
  /** Closes every connection; attempts still waiting resolve as network failures. */
  close(): void;
}

/** DataProxy's own codes for what a frame could not carry, so `classify` acts on them as it does on the server's. */
const CODE_TOO_LONG = 104;
const CODE_UNCARRIABLE = 109;

/**
 * Sends packs to DataProxy's TCP source as msgType-7 frames on persistent, pipelined
 * connections, one outcome per pack in the core's terms: an ack is a `reply` with its `errCode`
 * (0, or 1/2/114 to retry, or a caller error), no ack is a `network` failure. A node that fails
 * at node level is parked, so the delivery loop's retry goes to another. A frame longer than
 * `maxFrameBytes` or with more than 65,535 records comes back as code 104 (split the pack);
 * ids an attr cannot carry as 109 — neither is ever sent.
 * @example const endpoint = createTcpEndpoint({ clock, connector, route: () => ({ pool }), timeoutMs: 10_000, maxFrameBytes: 65_536, window: 32, heartbeatMs: 60_000, idleMs: 600_000 });
 */
export function createTcpEndpoint(options: TcpEndpointOptions): TcpEndpoint {
  const { clock } = options;
  const pool = createTcpPool({
    clock,
    connector: options.connector,
    connectTimeoutMs: options.connectTimeoutMs ?? Math.min(options.timeoutMs, 5000),
    window: options.window,
    heartbeatMs: options.heartbeatMs,
    idleMs: options.idleMs,
    reconnect: { baseMs: 200, maxMs: 3000 },
    onError: options.onError,
  });
  // A random start, as the Java SDK seeds its id, so two clients' frames never share a run of uniqs.
  let uniq = Math.floor(clock.random() * 2 ** 32);

  const sendPack: TcpEndpoint['sendPack'] = async (pack, timeoutMs) => {
    const { pool: nodes, ready } = options.route(pack.groupId);
    await ready?.();
    let frame: Uint8Array;
    uniq = (uniq + 1) >>> 0;
    try {
      frame = encodeFrame({ ...pack, uniq }, options.zip);
    } catch (error) {
      if (!isFrameEncodeError(error)) throw error;
      const code = error.field === 'records' && pack.records.length > 1 ? CODE_TOO_LONG : CODE_UNCARRIABLE;
      return { outcome: { kind: 'reply', status: 200, code, message: `not sent: ${error.message}` } };
    }
    if (frame.length > options.maxFrameBytes) {
      return { outcome: { kind: 'reply', status: 200, code: CODE_TOO_LONG, message: `not sent: a ${frame.length}-byte frame exceeds max-msg-length ${options.maxFrameBytes}` } };
    }
    const node = nodes.pick();
    if (!node) return { outcome: { kind: 'network', timedOut: false, message: 'no DataProxy TCP node known' } };
    return { outcome: toOutcome(await pool.send(node, uniq, frame, timeoutMs)), node };
  };

  const sendOne = async (pack: Pack): Promise<Outcome> => {
    const { outcome, node } = await sendPack(pack, options.timeoutMs);
    if (node && classify(outcome).action === 'retry') options.route(pack.groupId).pool.park(node);
    return outcome;
  };

  return {
    name: 'dataproxy-tcp',
    maxPacksPerCall: 1,
    deliver: (packs) => Promise.all(packs.map(sendOne)),
    sendPack,
    close: () => pool.close(),
  };
}

/**
 * A frame's fate as the retry policy reads it: an ack is DataProxy's reply (status 200, its code),
 * no ack a network failure.
 * @example toOutcome({ kind: 'ack', code: 114, message: 'Put event to channel failure' }) // { kind: 'reply', status: 200, code: 114, ... }
 */
export function toOutcome(result: FrameResult): Outcome {
  if (result.kind === 'ack') return { kind: 'reply', status: 200, code: result.code, message: result.message };
  return { kind: 'network', timedOut: result.timedOut, message: result.message };
}
