import { ConfigError } from '../../core/errors/config-error.js';
import type { Transport } from '../../core/types.js';
import { globalFetch } from './global-fetch.js';
import { createHttpTransport } from './http-transport.js';

/**
 * A `Transport` on the runtime's own `fetch`, without ky: the same behaviour as
 * `createFetchTransport` (one deadline, replies for every status, `NetworkError` otherwise) in
 * a few hundred bytes. The `<script>` build uses it: with ky (5 KB gzip) it measured 16.5 KB
 * against its 12 KB budget, and a page's fetch already has what ky adds here.
 * @example const transport = createNativeFetchTransport();
 */
export function createNativeFetchTransport(fetchImpl: typeof fetch | undefined = globalFetch()): Transport {
  if (!fetchImpl) throw new ConfigError('fetch', 'this runtime has no fetch; pass one');
  return createHttpTransport('fetch', (url, init) => fetchImpl(url, { ...init, method: 'POST' }));
}
