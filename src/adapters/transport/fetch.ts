import ky from 'ky';
import { ConfigError } from '../../core/errors/config-error.js';
import { NetworkError } from '../../core/errors/network-error.js';
import type { Transport, TransportRequest, TransportResponse } from '../../core/types.js';
import { parseRetryAfter } from './retry-after.js';

/** ky throws a RangeError above this: setTimeout overflows a 32-bit int (ky issue #117). */
const MAX_TIMEOUT_MS = 2_147_483_647;

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
  const fetchImpl = options.fetch ?? detectFetch();
  if (fetchImpl === undefined) {
    throw new ConfigError('fetch', 'this runtime has no global fetch; pass one in the options');
  }
  const client = ky.create({ fetch: fetchImpl, retry: 0, throwHttpErrors: false });

  return {
    name: 'fetch',
    async send(request: TransportRequest): Promise<TransportResponse> {
      const timeout = toKyTimeout(request.timeoutMs);
      // ky's timeout stops at the response head (its timer is cleared once fetch resolves). A
      // server that stalls mid-body would hang delivery, so the body gets the rest of the budget.
      const bodyDeadline = new AbortController();
      let bodyTimedOut = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const started = Date.now();
      try {
        const response = await client.post(request.url, {
          headers: request.headers,
          body: toBodyInit(request.body, request.headers),
          keepalive: request.keepalive ?? false,
          timeout,
          signal: bodyDeadline.signal,
        });
        if (timeout !== false) {
          timer = setTimeout(() => {
            bodyTimedOut = true;
            bodyDeadline.abort();
          }, Math.max(0, timeout - (Date.now() - started)));
        }
        const body = await response.text();
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
        return { status: response.status, body, retryAfterMs };
      } catch (error) {
        // ky's TimeoutError and the DOMException of AbortSignal.timeout() share this name.
        const timedOut = bodyTimedOut || (error instanceof Error && error.name === 'TimeoutError');
        const what = timedOut ? `timed out after ${request.timeoutMs} ms` : `failed: ${describe(error)}`;
        throw new NetworkError(`POST ${request.url} ${what}`, { timedOut, cause: error });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function detectFetch(): typeof fetch | undefined {
  // Bound: browsers throw "Illegal invocation" when fetch is called with another `this`.
  return typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined;
}

/** Infinity or NaN means no deadline; anything else is clamped to what ky accepts. */
function toKyTimeout(ms: number): number | false {
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 1), MAX_TIMEOUT_MS) : false;
}

/**
 * A string body without a Content-Type header would go out as `text/plain;charset=UTF-8` (the
 * Request constructor adds it); as bytes it goes out with no type, which is what was asked for.
 * fetch's BodyInit wants ArrayBuffer-backed bytes, so a view on a SharedArrayBuffer is copied.
 */
function toBodyInit(body: string | Uint8Array, headers: Record<string, string>): BodyInit {
  if (typeof body === 'string') {
    const typed = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
    return typed ? body : new TextEncoder().encode(body);
  }
  return isArrayBufferBacked(body) ? body : new Uint8Array(body);
}

function isArrayBufferBacked(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer;
}

/** Node's undici says only "fetch failed"; the useful part (ECONNREFUSED, …) is in the cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
