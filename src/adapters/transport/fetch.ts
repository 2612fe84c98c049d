import ky from 'ky';
import { ConfigError } from '../../core/errors/config-error.js';
import type { Transport } from '../../core/types.js';
import { globalFetch } from './global-fetch.js';
import { createHttpTransport } from './http-transport.js';

export interface FetchTransportOptions {
  /** The fetch to use. Default: the runtime's global `fetch`, bound to `globalThis`. */
  fetch?: typeof fetch;
}

/**
 * A `Transport` over fetch, through ky. ky's own retries are off (`retry: 0`) because delivery
 * owns retries, backoff and failover; non-2xx statuses come back as replies
 * (`throwHttpErrors: false`); the deadline covers the body too (see http-transport.ts).
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
  const fetchImpl = options.fetch ?? globalFetch();
  if (!fetchImpl) throw new ConfigError('fetch', 'this runtime has no fetch; pass one');
  const client = ky.create({ fetch: fetchImpl, retry: 0, throwHttpErrors: false, timeout: false });
  return createHttpTransport('fetch', (url, init) => client.post(url, init));
}
