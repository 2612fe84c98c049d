import { parseRetryAfter } from '../../adapters/transport/retry-after.js';
import { NetworkError } from '../../core/errors/network-error.js';
import type { Transport } from '../../core/types.js';

/**
 * A `Transport` on the page's own `fetch`, without ky: the `<script>` build has a 12 KB gzip
 * budget and ky alone takes about 5.7 KB of it, while a browser needs none of what ky adds here
 * (delivery owns retries, and a page's fetch has `AbortController` and `keepalive` natively).
 * Non-2xx statuses are replies; no reply at all is a `NetworkError` (`timedOut` for the deadline).
 * The bridge must list `Retry-After` in `Access-Control-Expose-Headers` for a page to read it.
 * @example
 * const transport = createLiteFetch();
 * await transport.send({ url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, timeoutMs: 10_000 });
 */
export function createLiteFetch(fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args)): Transport {
  return {
    name: 'fetch',
    async send(request) {
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, request.timeoutMs);
      try {
        const response = await fetchImpl(request.url, {
          method: 'POST',
          headers: request.headers,
          body: request.body as BodyInit,
          keepalive: request.keepalive === true,
          signal: controller.signal,
        });
        const body = await response.text();
        return { status: response.status, body, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()) };
      } catch (error) {
        throw new NetworkError(`POST ${request.url} ${timedOut ? 'timed out' : 'failed'}: ${String(error)}`, { timedOut, cause: error });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
