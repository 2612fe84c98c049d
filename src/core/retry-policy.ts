import { DataProxyCode } from './codes.js';

/** What happened to one delivery attempt of one pack. */
export type Outcome =
  | { kind: 'reply'; status: number; code: number | undefined; message?: string; retryAfterMs?: number }
  | { kind: 'network'; timedOut: boolean; message?: string };

/** What to do next. */
export type Verdict =
  | { action: 'ack' }
  | { action: 'retry'; reason: string; message: string; retryAfterMs?: number }
  | { action: 'split'; reason: string; message: string }
  | { action: 'fail'; reason: string; message: string };

/** DataProxy codes that say "this node, now" rather than "this request" (spec 1.7). */
const TRANSIENT_CODES = new Set<number>([
  DataProxyCode.sinkNotReady,
  DataProxyCode.serviceClosed,
  DataProxyCode.channelPutFailure,
  DataProxyCode.unknownError,
]);

/**
 * The one place that maps an HTTP outcome to a decision (as Amplitude's transport does):
 * transient DataProxy codes, 5xx, 429 and network errors are retried (on another node);
 * 413 splits the pack; caller errors (31–36, 100–115) and anything else unknown fail at once.
 * @example classify({ kind: 'reply', status: 200, code: 114 }) // { action: 'retry', ... }
 */
export function classify(outcome: Outcome): Verdict {
  if (outcome.kind === 'network') {
    return { action: 'retry', reason: 'network', message: outcome.message ?? (outcome.timedOut ? 'timed out' : 'network error') };
  }
  const { status, code } = outcome;
  const message = outcome.message ?? '';
  if (status === 413) return { action: 'split', reason: 'http:413', message: 'request too large' };
  if (status === 429 || status === 408 || status >= 500) {
    return { action: 'retry', reason: `http:${status}`, message, retryAfterMs: outcome.retryAfterMs };
  }
  if (status !== 200) return { action: 'fail', reason: `http:${status}`, message };
  // A 200 whose body is not a DataProxy reply (a proxy's error page, a cut reply) says nothing
  // about the data: treat it as the unknown-failure code and retry.
  if (code === undefined) return { action: 'retry', reason: 'unparsable', message: message || 'unparsable reply' };
  if (code === DataProxyCode.success) return { action: 'ack' };
  if (TRANSIENT_CODES.has(code)) return { action: 'retry', reason: String(code), message, retryAfterMs: outcome.retryAfterMs };
  if (code === DataProxyCode.bodyTooLong) return { action: 'split', reason: String(code), message };
  return { action: 'fail', reason: String(code), message };
}
