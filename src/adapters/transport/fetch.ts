import ky from 'ky';
import { ConfigError } from '../../core/errors/config-error.js';
import { NetworkError } from '../../core/errors/network-error.js';
import type { Transport } from '../../core/types.js';
import { parseRetryAfter } from './retry-after.js';

export interface FetchTransportOptions {
  /** The fetch to use. Default: the runtime's global `fetch`, bound to `globalThis`. */
  fetch?: typeof fetch;
}

/**
 * A `Transport` over fetch, through ky. ky's own retries are off (`retry: 0`) because delivery
 * owns retries, backoff and failover; non-2xx statuses come back as replies
 * (`throwHttpErrors: false`). Headers go out exactly as given: with an explicit `Content-Type`,
 * fetch does not append `;charset=UTF-8` to a string body, which DataProxy would reject.
 * Rejects with a `NetworkError` when no complete reply arrived (`timedOut` for the deadline).
 *
 * @example
 * const transport = createFetchTransport();
 * const reply = await transport.send({
 *   url: 'https://bridge.example.com/dataproxy/message',
 *   headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
 *   body: 'groupId=g&streamId=s&dt=1700000000000&cnt=1&body=%7B%7D',
 *   timeoutMs: 10_000,
 * });
 * if (reply.status === 503) wait(reply.retryAfterMs);
 */
export function createFetchTransport(options: FetchTransportOptions = {}): Transport {
  const global = globalThis.fetch;
  // Bound: browsers throw "Illegal invocation" when fetch is called with another `this`.
  const fetchImpl = options.fetch ?? (typeof global === 'function' ? global.bind(globalThis) : undefined);
  if (!fetchImpl) throw new ConfigError('fetch', 'this runtime has no fetch; pass one');
  const client = ky.create({ fetch: fetchImpl, retry: 0, throwHttpErrors: false, timeout: false });

  return {
    name: 'fetch',
    async send({ url, headers, body, timeoutMs, keepalive }) {
      // One deadline for head and body: ky's own timeout stops at the response head, and a
      // server that stalls mid-body would hang delivery. Clamped: setTimeout overflows past 2³¹−1.
      const deadline = new AbortController();
      let timedOut = false;
      const expire = (): void => {
        timedOut = true;
        deadline.abort();
      };
      const timer = timeoutMs < 2 ** 31 ? setTimeout(expire, Math.max(timeoutMs, 1)) : undefined;
      try {
        const response = await client.post(url, {
          headers,
          // A string without a Content-Type would go out as `text/plain;charset=UTF-8`; as bytes it
          // goes out untyped, as asked. BodyInit wants ArrayBuffer-backed bytes: a view on a
          // SharedArrayBuffer is copied.
          body: typeof body !== 'string' ? new Uint8Array(body) : Object.keys(headers).some((name) => /^content-type$/i.test(name)) ? body : new TextEncoder().encode(body),
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
