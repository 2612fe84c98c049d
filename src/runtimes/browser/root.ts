import { createBrowserClient } from './client.js';
import type { BrowserClient } from './types.js';
import type { BrowserOptions } from './options.js';
import type { IndexedDbFactory } from './storage-choice.js';

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
 * A fresh `InLong` root. Creating it touches nothing (no storage, listeners or timers) until
 * `init`. Calls made before `init` are queued and replayed, in order, by `init`. `indexedDb`
 * makes the outbox's IndexedDB adapter (the ESM entry passes it; the `<script>` build, which has a
 * 12 KB budget, leaves it out and keeps its outbox in localStorage).
 * @example
 * const InLong = createInLong();
 * InLong.track('early'); // kept
 * InLong.init({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' });
 */
export function createInLong(indexedDb?: IndexedDbFactory): InLongRoot {
  const instances = new Map<string, BrowserClient>();
  const queued: Array<[string, unknown[]]> = [];
  const create = (name: string, options: BrowserOptions): BrowserClient => {
    let client = instances.get(name);
    if (!client) {
      client = createBrowserClient({ ...options, name }, indexedDb);
      instances.set(name, client);
    }
    return client;
  };
  const root = {
    init(options: BrowserOptions) {
      const client = create(options?.name ?? DEFAULT, options);
      // Named here or not, `init` makes the default instance; replay what waited for it.
      instances.set(DEFAULT, client);
      for (const [method, args] of queued.splice(0)) forward[method]?.(...args);
      return client;
    },
    initInstance: (name: string, options: BrowserOptions) => create(String(name), options),
    instance: (name?: string) => instances.get(name ?? DEFAULT),
  } as InLongRoot;
  const forward = root as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of CLIENT_METHODS) {
    forward[method] = (...args: unknown[]) => {
      const client = instances.get(DEFAULT) as unknown as Record<string, (...values: unknown[]) => unknown> | undefined;
      if (client) return client[method]?.(...args);
      queued.push([method, args]);
      return undefined;
    };
  }
  return root;
}
