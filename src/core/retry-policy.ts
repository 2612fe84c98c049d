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

/**
 * DataProxy codes that say "this node, now" rather than "this request" (spec 1.7): sinkNotReady
 * 1, serviceClosed 2, channelPutFailure 114, unknownError 2147483647. Numbers rather than
 * `DataProxyCode` members so the policy does not pull the code tables into the `<script>` build.
 */
const TRANSIENT_CODES = [1, 2, 114, 2147483647];

/**
 * The one place that maps an HTTP outcome to a decision (as Amplitude's transport does):
 * transient DataProxy codes, 5xx, 429 and network errors are retried (on another node);
 * 413 and code 104 (bodyTooLong) split the pack; caller errors (31–36, 100–115) and anything
 * else unknown fail at once.
 * @example classify({ kind: 'reply', status: 200, code: 114 }) // { action: 'retry', ... }
 */
export function classify(outcome: Outcome): Verdict {
  if (outcome.kind === 'network') {
    return { action: 'retry', reason: 'network', message: outcome.message ?? (outcome.timedOut ? 'timed out' : 'network error') };
  }
  const { status, code, retryAfterMs } = outcome;
  const message = outcome.message ?? '';
  const reason = status === 200 ? String(code) : `http:${status}`;
  if (status === 413 || (status === 200 && code === 104)) return { action: 'split', reason, message: message || 'request too large' };
  // A 200 whose body is not a DataProxy reply (a proxy's error page, a cut reply) says nothing
  // about the data: treat it as the unknown-failure code and retry.
  if (status === 200 && code === undefined) return { action: 'retry', reason: 'unparsable', message: message || 'unparsable reply' };
  if (status === 200 && code === 0) return { action: 'ack' };
  if (status === 429 || status === 408 || status >= 500 || (status === 200 && TRANSIENT_CODES.includes(code as number))) {
    return { action: 'retry', reason, message, retryAfterMs };
  }
  return { action: 'fail', reason, message };
}
