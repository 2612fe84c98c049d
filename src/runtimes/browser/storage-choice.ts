import { createIndexedDbStorage } from '../../adapters/storage/indexeddb.js';
import { createLocalStorage } from '../../adapters/storage/local-storage.js';
import type { StorageAdapter } from '../../core/types.js';
import type { ResolvedOptions } from './options.js';

/**
 * The outbox's storage: IndexedDB, else localStorage, else
 * none (packs then live in memory for this visit), each probed by a write, a read and a delete,
 * because being present is not enough (Safari private mode's localStorage threw on every write;
 * some WebViews never answer an IndexedDB open). `selectStorage` does the same with a memory
 * adapter as the last resort; this smaller twin keeps that adapter out of the `<script>` build.
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
  for (const make of candidates) {
    const candidate = make ? make() : undefined;
    if (candidate && (await probe(candidate))) return candidate;
  }
  return undefined;
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

/** Writes, reads back and deletes a probe key; `false` on any failure or after a second. */
function probe(adapter: StorageAdapter): Promise<boolean> {
  const key = '__inlong_probe__';
  return new Promise((resolve) => {
    setTimeout(resolve, 1000, false);
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
