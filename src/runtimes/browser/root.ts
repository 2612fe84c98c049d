import type { Transport } from '../../core/types.js';
import { createBrowserClient } from './client.js';
import type { BrowserClient } from './types.js';
import type { BrowserOptions } from './options.js';

/**
 * Client methods the root forwards to the default instance (and queues before `init`).
 * @example CLIENT_METHODS.includes('track') // true
 */
export const CLIENT_METHODS = [
  'track', 'trackFirst', 'trackUpdate', 'trackOverwrite', 'timeEvent', 'identify', 'setDistinctId', 'getDistinctId',
  'getDeviceId', 'getAccountId', 'login', 'logout', 'userSet', 'userSetOnce', 'userAdd', 'userUnset', 'userAppend',
  'userUniqAppend', 'userDel', 'setSuperProperties', 'getSuperProperties', 'unsetSuperProperty', 'clearSuperProperties',
  'setDynamicSuperProperties', 'setPageProperty', 'getPageProperty', 'getPresetProperties', 'flush', 'optOutTracking',
  'optInTracking', 'enableTracking', 'stats', 'subscribe', 'close',
] as const satisfies ReadonlyArray<keyof BrowserClient>;

/** The global `InLong`: the default instance's methods, plus instance management. */
export type InLongRoot = Omit<BrowserClient, 'name'> & {
  /** Creates the default instance (a second call returns the first). Calls made before are replayed. */
  init(options: BrowserOptions): BrowserClient;
  /** Creates (or returns) a named instance; its storage is namespaced by `name`. */
  initInstance(name: string, options: BrowserOptions): BrowserClient;
  /** A named instance, or the default one without a name. */
  instance(name?: string): BrowserClient | undefined;
};

const DEFAULT = 'default';

/**
 * A fresh, independent `InLong` root (tests, micro-frontends; most pages use the shared
 * `InLong`). Creating it touches nothing (no storage, listeners or timers) until `init`. Calls made before `init` are queued and replayed, in order, by `init`.
 * @example
 * const InLong = createInLong(createFetchTransport);
 * InLong.track('early'); // kept
 * InLong.init({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' });
 */
export function createInLong(makeTransport: () => Transport): InLongRoot {
  const instances = new Map<string, BrowserClient>();
  const queued: Array<[string, unknown[]]> = [];
  const create = (name: string, options: BrowserOptions): BrowserClient => {
    const client = instances.get(name) ?? createBrowserClient({ ...options, name }, makeTransport);
    instances.set(name, client);
    return client;
  };
  const root: Record<string, unknown> = {
    init(options: BrowserOptions) {
      // Named or not, `init` makes the default instance; replay what waited for it.
      const client = create(options?.name ?? DEFAULT, options);
      instances.set(DEFAULT, client);
      for (const [method, args] of queued.splice(0)) call(method, args);
      return client;
    },
    initInstance: (name: string, options: BrowserOptions) => create(String(name), options),
    instance: (name?: string) => instances.get(name ?? DEFAULT),
  };
  const call = (method: string, args: unknown[]): unknown => {
    const client = instances.get(DEFAULT) as unknown as Record<string, ((...values: unknown[]) => unknown) | undefined> | undefined;
    if (client) return client[method]?.(...args);
    queued.push([method, args]);
    return undefined;
  };
  for (const method of CLIENT_METHODS) root[method] = (...args: unknown[]) => call(method, args);
  return root as InLongRoot;
}
