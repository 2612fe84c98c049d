import { ConfigError } from '../../core/errors/config-error.js';
import type { Transport } from '../../core/types.js';
import type { FetchTransportOptions } from './fetch.js';
import { globalFetch } from './global-fetch.js';

/**
 * `createFetchTransport` (fetch through ky) with ky loaded by a dynamic `import()` on the first
 * request, so a client's first `track`/`send` does not wait for it: bundlers put ky in the chunk
 * of the sending half. A missing fetch is still a `ConfigError` at creation. A failed chunk load
 * rejects that one request (delivery retries it as a network failure) and is tried again on the
 * next.
 * @example const transport = createLazyFetchTransport(); await transport.send(request);
 */
export function createLazyFetchTransport(options: FetchTransportOptions = {}): Transport {
  const fetchImpl = options.fetch ?? globalFetch();
  if (!fetchImpl) throw new ConfigError('fetch', 'this runtime has no fetch; pass one');
  let loading: Promise<Transport> | undefined;
  const load = (): Promise<Transport> =>
    (loading ??= import('./fetch.js').then(
      (module) => module.createFetchTransport({ fetch: fetchImpl }),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
  return { name: 'fetch', send: async (request) => (await load()).send(request) };
}
