import type { Clock, StorageAdapter } from '../../core/types.js';

/** Gives one tab at a time the right to send one pack. */
export interface TabLock {
  readonly name: 'web-locks' | 'storage-lease';
  /** A release function when this tab now holds `id`; `undefined` when another tab does. */
  acquire(id: string): Promise<(() => void) | undefined>;
}

/**
 * A pack lock over Web Locks (`navigator.locks`): held while the pack is in flight and released
 * by the browser itself when the tab closes, crashes or reloads, so a dead tab never keeps a
 * pack. `ifAvailable` makes a busy pack a quick "no" instead of a wait.
 * @example const lock = createWebLock(navigator.locks, 'inlong-js:default:');
 */
export function createWebLock(locks: LockManager, prefix: string): TabLock {
  return {
    name: 'web-locks',
    acquire: (id) =>
      new Promise((resolve) => {
        locks
          .request(prefix + id, { ifAvailable: true }, (lock) => {
            if (lock === null) return resolve(undefined);
            return new Promise<void>((release) => resolve(() => release()));
          })
          // Chromium rejects requests from a document that is being unloaded or is opaque-origin;
          // sending without the lock risks only a duplicate (the bridge drops it by `#uuid`),
          // never sending risks the data.
          .catch(() => resolve(() => undefined));
      }),
  };
}

interface Lease {
  owner: string;
  until: number;
}

/**
 * The fallback where Web Locks are missing (Safari < 15.4, old WebViews): a lease record next to
 * the pack in storage, `{ owner, until }`. Another tab's unexpired lease means "busy"; an expired
 * one (its tab died) is taken over. Storage has no compare-and-set across tabs, so a tab writes
 * its claim, waits `settleMs`, and reads it back: of two tabs claiming at once the later write
 * wins and the other backs off. What slips through anyway is a duplicate the bridge drops by `#uuid`.
 * @example const lock = createStorageLease(() => storage, { owner: tabId, clock, leaseMs: 30_000, prefix: 'default:l:' });
 */
export function createStorageLease(
  storage: () => Promise<StorageAdapter | undefined>,
  options: { owner: string; clock: Clock; leaseMs: number; prefix: string; settleMs?: number },
): TabLock {
  const { owner, clock, prefix } = options;
  const read = async (store: StorageAdapter, key: string): Promise<Lease | undefined> => store.get<Lease>(key);
  return {
    name: 'storage-lease',
    async acquire(id) {
      const store = await storage();
      const key = prefix + id;
      // No shared storage, no other tab can see the pack.
      if (!store) return () => undefined;
      const held = await read(store, key);
      if (held && held.owner !== owner && held.until > clock.now()) return undefined;
      await store.set(key, { owner, until: clock.now() + options.leaseMs });
      await new Promise<void>((resolve) => clock.setTimeout(resolve, options.settleMs ?? 30));
      if ((await read(store, key))?.owner !== owner) return undefined;
      // A lease that outlives its removal expires by itself; a failed delete costs nothing else.
      return () => void store.remove(key).catch((error: unknown) => error);
    },
  };
}
