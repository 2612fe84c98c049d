import { backoffDelay, type BackoffOptions } from '../core/backoff.js';
import { classify } from '../core/retry-policy.js';
import type { Clock, Transport } from '../core/types.js';
import type { Outcome } from '../core/retry-policy.js';
import { postPack, type NodeRoute } from '../dataproxy/dataproxy-endpoint.js';
import { formEncodedLength, formOverhead } from '../dataproxy/form.js';
import { OK_RESULT, type Sink, type SinkPack, type SinkResult } from './sink.js';

export interface DataProxySinkOptions {
  clock: Clock;
  transport: Transport;
  /** The nodes for a group: one static pool, or a Manager-discovered pool per group. */
  route: (groupId: string) => NodeRoute;
  /** DataProxy `max-msg-length`: no forwarded form is longer (spec 1.8). */
  maxMsgLength: number;
  requestTimeoutMs: number;
  /** Time allowed to get one pack accepted, retries and failover included. */
  budgetMs: number;
  backoff?: BackoffOptions;
  description: string;
  /** Why forwarding failed, at most once a second (the client is told less: no node addresses). */
  log?: (line: string) => void;
  /** One attempt on the next node; default an HTTP form post (`postPack`). The TCP sink sends a frame. */
  attempt?: (pack: SinkPack, timeoutMs: number) => Promise<{ outcome: Outcome; node?: string }>;
  /** Splits a pack into requests that fit `maxMsgLength`; default `chunkRecords` (forms). */
  chunk?: (pack: SinkPack, maxMsgLength: number) => SinkPack[] | undefined;
}

/** Retryable for the client: DataProxy's "sink not ready" (spec 1.7), so the SDK's outbox keeps the data. */
const UNAVAILABLE: SinkResult = Object.freeze({ code: '1', msg: 'DataProxy did not accept the pack in time; retry later' });

/**
 * Forwards packs to DataProxy exactly as its HTTP source accepts them (spec 6): one
 * `POST <node>/dataproxy/message` form per request, content type without charset, each form
 * within `max-msg-length`. Transient failures (network, 5xx, codes 1/2/114/2147483647) park the
 * node and retry on another within the time budget; 413 or 104 halves the request. A pack's
 * result is `"0"` only after DataProxy accepted every part of it; otherwise the client gets
 * code 1 (retry) or DataProxy's own caller-error code (do not retry).
 * @example createDataProxySink({ clock, transport, route: () => ({ pool }), maxMsgLength: 65_536, requestTimeoutMs: 5000, budgetMs: 8000, description: 'DataProxy nodes' })
 */
export function createDataProxySink(options: DataProxySinkOptions): Sink {
  const { clock, transport } = options;
  const backoff = options.backoff ?? { baseMs: 50, maxMs: 1000 };
  const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
  let lastLogAt = -Infinity;
  let unlogged = 0;
  const report = (detail: string): SinkResult => {
    unlogged++;
    // An outage fails every pack; one line a second says as much as thousands would.
    if (options.log && clock.now() - lastLogAt >= 1000) {
      options.log(`forwarding failed for ${unlogged} pack(s) within ${options.budgetMs} ms; last: ${detail}`);
      lastLogAt = clock.now();
      unlogged = 0;
    }
    return UNAVAILABLE;
  };

  const post = options.attempt ?? ((pack: SinkPack, timeoutMs: number) => postPack(transport, options.route, pack, timeoutMs));
  const attempt = (pack: SinkPack, deadline: number) => post(pack, Math.max(1, Math.min(options.requestTimeoutMs, deadline - clock.now())));

  const send = async (pack: SinkPack, deadline: number): Promise<SinkResult> => {
    let lastMessage = 'no attempt made';
    for (let tries = 1; clock.now() < deadline; tries++) {
      const { outcome, node } = await attempt(pack, deadline);
      const verdict = classify(outcome);
      if (verdict.action === 'ack') return OK_RESULT;
      if (verdict.action === 'split') {
        if (pack.records.length < 2) return { code: '104', msg: `one record is too large for DataProxy: ${verdict.message}` };
        const half = Math.ceil(pack.records.length / 2);
        const first = await send({ ...pack, records: pack.records.slice(0, half) }, deadline);
        if (first.code !== '0') return first;
        return send({ ...pack, records: pack.records.slice(half) }, deadline);
      }
      // A DataProxy caller error (100–115) will not change on retry: hand its code back. A
      // non-DataProxy HTTP status (404 from a wrong URL, 403 from a proxy) is the node's fault.
      const isDataProxyCode = outcome.kind === 'reply' && outcome.status === 200;
      if (verdict.action === 'fail' && isDataProxyCode) return { code: String(outcome.code ?? 2147483647), msg: verdict.message };
      lastMessage = verdict.message || verdict.reason;
      if (node) options.route(pack.groupId).pool.park(node);
      const pause = Math.min(backoffDelay(tries, backoff, clock.random, 'retryAfterMs' in verdict ? verdict.retryAfterMs : undefined), deadline - clock.now());
      if (pause > 0) await sleep(pause);
    }
    return report(lastMessage);
  };

  const writePack = async (pack: SinkPack): Promise<SinkResult> => {
    const deadline = clock.now() + options.budgetMs;
    const chunks = (options.chunk ?? chunkRecords)(pack, options.maxMsgLength);
    if (chunks === undefined) return { code: '104', msg: `a record's encoded form exceeds max-msg-length ${options.maxMsgLength}` };
    for (const chunk of chunks) {
      const result = await send(chunk, deadline);
      if (result.code !== '0') return result;
    }
    return OK_RESULT;
  };

  return {
    name: 'dataproxy',
    description: options.description,
    write: (packs) => Promise.all(packs.map(writePack)),
  };
}

/**
 * Splits a pack into packs whose DataProxy form fits `maxMsgLength` (spec 1.8 counts the encoded
 * form). `undefined` when one record cannot fit on its own.
 * @example chunkRecords({ groupId: 'g', streamId: 's', dt: 0, records }, 65_536)
 */
export function chunkRecords(pack: SinkPack, maxMsgLength: number): SinkPack[] | undefined {
  const budget = maxMsgLength - formOverhead(pack.groupId, pack.streamId);
  const chunks: SinkPack[] = [];
  let current: string[] = [];
  let size = 0;
  for (const record of pack.records) {
    const length = formEncodedLength(record);
    if (length > budget) return undefined;
    // `%0A` (3 characters) joins records inside the body.
    const added = current.length === 0 ? length : length + 3;
    if (size + added > budget && current.length > 0) {
      chunks.push({ ...pack, records: current });
      current = [];
      size = 0;
    }
    size += current.length === 0 ? length : length + 3;
    current.push(record);
  }
  if (current.length > 0) chunks.push({ ...pack, records: current });
  return chunks;
}
