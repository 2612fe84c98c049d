const MAX_RETRY_AFTER_MS = 300_000;

export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  baseMs: number;
  /** Upper bound of any delay, in ms. */
  maxMs: number;
}

/**
 * Capped exponential backoff with full jitter: a random delay in [base·2ⁿ⁻¹ / 2, base·2ⁿ⁻¹],
 * capped, so clients that failed together do not retry together. A server's `Retry-After`
 * wins when it asks for longer.
 * @example backoffDelay(3, { baseMs: 500, maxMs: 30_000 }, Math.random) // 1000..2000
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number, retryAfterMs?: number): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  // A server that asks for a longer pause gets it, within reason: a broken header must not
  // park the data for a day.
  return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS)));
}
