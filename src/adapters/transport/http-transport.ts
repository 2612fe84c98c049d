import { NetworkError } from '../../core/errors/network-error.js';
import type { Transport } from '../../core/types.js';
import { parseRetryAfter } from './retry-after.js';

/** Posts one request; ky's `post` and a bare `fetch` both fit. */
export type Post = (url: string, init: RequestInit) => Promise<Response>;

/**
 * A `Transport` over any fetch-shaped `post`: one deadline for head and body, non-2xx as
 * replies, no reply at all as a `NetworkError` (`timedOut` for the deadline). Headers go out
 * exactly as given: with an explicit `Content-Type`, fetch does not append `;charset=UTF-8` to a
 * string body, which DataProxy would reject.
 * @example const transport = createHttpTransport('fetch', (url, init) => fetch(url, { ...init, method: 'POST' }));
 */
export function createHttpTransport(name: string, post: Post): Transport {
  return {
    name,
    async send({ url, headers, body, timeoutMs, keepalive }) {
      // One deadline for head and body: a server that stalls mid-body must not hang delivery.
      // Clamped: setTimeout overflows past 2³¹−1.
      const deadline = new AbortController();
      let timedOut = false;
      const expire = (): void => {
        timedOut = true;
        deadline.abort();
      };
      const timer = timeoutMs < 2 ** 31 ? setTimeout(expire, Math.max(timeoutMs, 1)) : undefined;
      try {
        const response = await post(url, {
          headers,
          // A string without a Content-Type would go out as `text/plain;charset=UTF-8`; as bytes it
          // goes out untyped, as asked. BodyInit wants ArrayBuffer-backed bytes: a view on a
          // SharedArrayBuffer is copied.
          body: typeof body !== 'string' ? new Uint8Array(body) : Object.keys(headers).some((key) => /^content-type$/i.test(key)) ? body : new TextEncoder().encode(body),
          keepalive: keepalive === true,
          signal: deadline.signal,
        });
        return { status: response.status, body: await response.text(), retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()) };
      } catch (error) {
        // Node's undici says only "fetch failed"; the useful part (ECONNREFUSED, …) is in the cause.
        const cause = (error as { cause?: { message?: unknown } } | null)?.cause?.message;
        const why = timedOut ? `timed out after ${timeoutMs} ms` : `failed: ${String((error as Error | null)?.message ?? error)}${cause ? ` (${String(cause)})` : ''}`;
        throw new NetworkError(`POST ${url} ${why}`, { timedOut, cause: error });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
