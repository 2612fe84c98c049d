import { createIndexedDbStorage } from '../../adapters/storage/indexeddb.js';
import { createLocalStorage } from '../../adapters/storage/local-storage.js';
import type { StorageAdapter } from '../../core/types.js';
import type { ResolvedOptions } from './options.js';

/**
 * The outbox's storage: IndexedDB, else localStorage, else
 * none (packs then live in memory for this visit), each probed by a write, a read and a delete,
 * because being present is not enough (Safari private mode's localStorage threw on every write;
 * some WebViews never answer an IndexedDB open). No memory adapter as a last resort: the outbox
 * keeps packs in memory itself, and the `<script>` build stays without one.
 * @example const storage = await chooseStorage(options, localStorage); // undefined: memory only
 */
export async function chooseStorage(options: ResolvedOptions, local: Storage | undefined): Promise<StorageAdapter | undefined> {
  const { storage } = options;
  if (typeof storage === 'object') return storage;
  const factory = options.globals.indexedDB === undefined ? readGlobal('indexedDB') : (options.globals.indexedDB ?? undefined);
  const auto = storage === 'auto';
  const candidates = [
    (auto || storage === 'indexedDB') && typeof factory?.open === 'function' && (() => createIndexedDbStorage({ indexedDB: factory })),
    (auto || storage === 'localStorage') && local && (() => createLocalStorage({ storage: local })),
  ];
  // Once IndexedDB holds this origin's outbox, a later visit waits longer for it: a probe that
  // times out on a busy machine would pick localStorage and strand the packs left in IndexedDB.
  // `databases()` tells without opening it (and without a note of our own in storage).
  const holdsOutbox = candidates[0] ? await hasDatabase(factory, 'inlong-js') : false;
  for (const [index, make] of candidates.entries()) {
    const candidate = make ? make() : undefined;
    if (candidate && (await probe(candidate, index === 0 && holdsOutbox ? 10_000 : 1000))) return candidate;
  }
  return undefined;
}

/** True when the origin has an IndexedDB database of that name; false when unknown or slow. */
function hasDatabase(factory: IDBFactory | undefined, name: string): Promise<boolean> {
  return new Promise((resolve) => {
    setTimeout(resolve, 1000, false);
    Promise.resolve(factory?.databases?.())
      .then((list) => resolve(list?.some((database) => database.name === name) ?? false))
      .catch(() => resolve(false));
  });
}

/**
 * Reads a storage global without throwing: Chrome with site data blocked (and sandboxed iframes)
 * throw a SecurityError on the property read itself.
 * @example const storage = readGlobal('localStorage'); // undefined when blocked
 */
export function readGlobal<K extends 'localStorage' | 'indexedDB'>(name: K): (typeof globalThis)[K] | undefined {
  try {
    return globalThis[name];
  } catch {
    // Blocked: behave as a browser without it.
    return undefined;
  }
}

/** Writes, reads back and deletes a probe key; `false` on any failure or after `timeoutMs`. */
function probe(adapter: StorageAdapter, timeoutMs: number): Promise<boolean> {
  const key = '__inlong_probe__';
  return new Promise((resolve) => {
    setTimeout(resolve, timeoutMs, false);
    adapter
      .set(key, [1])
      .then(() => adapter.get<number[]>(key))
      .then(async (back) => {
        await adapter.remove(key);
        resolve(back?.[0] === 1);
      })
      .catch(() => resolve(false));
  });
}
