/**
 * Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3) into a wait in milliseconds from `now`.
 * Accepts delay-seconds (`"120"`) or an HTTP date (`"Wed, 21 Oct 2015 07:28:00 GMT"`). A date in
 * the past means "now" (0). Anything unparseable is `undefined`, so the caller falls back to its
 * own backoff instead of trusting garbage.
 *
 * @example
 * parseRetryAfter('3', Date.now()); // 3000
 * parseRetryAfter(new Date(Date.now() + 5000).toUTCString(), Date.now()); // ≈ 5000 (1 s precision)
 * parseRetryAfter(null, Date.now()); // undefined
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  // delay-seconds is 1*DIGIT; reject "1.5", "-3", "0x10" that Number() would accept.
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names its month; without this, Date.parse reads "-3" or "1.5" as years.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
