import { createLocalStorage } from '../../adapters/storage/local-storage.js';
import type { StorageAdapter } from '../../core/types.js';
import type { ResolvedOptions } from './options.js';

/** Makes the IndexedDB adapter; the ESM entry passes `createIndexedDbStorage`, the `<script>` build none. */
export type IndexedDbFactory = (options: { indexedDB: IDBFactory }) => StorageAdapter;

/**
 * The outbox's storage: IndexedDB (when the entry brought the adapter), else localStorage, else
 * none (packs then live in memory for this visit), each probed by a write, a read and a delete,
 * because being present is not enough (Safari private mode's localStorage threw on every write;
 * some WebViews never answer an IndexedDB open). `selectStorage` does the same with a memory
 * adapter as the last resort; this smaller twin keeps that adapter out of the `<script>` build.
 * @example const storage = await chooseStorage(options, localStorage, createIndexedDbStorage); // undefined: memory only
 */
export async function chooseStorage(options: ResolvedOptions, local: Storage | undefined, indexedDb?: IndexedDbFactory): Promise<StorageAdapter | undefined> {
  const { storage } = options;
  if (typeof storage === 'object') return storage;
  const candidates: StorageAdapter[] = [];
  const factory = options.globals.indexedDB === undefined ? readGlobal('indexedDB') : (options.globals.indexedDB ?? undefined);
  if ((storage === 'auto' || storage === 'indexedDB') && indexedDb && typeof factory?.open === 'function') candidates.push(indexedDb({ indexedDB: factory }));
  if ((storage === 'auto' || storage === 'localStorage') && local) candidates.push(createLocalStorage({ storage: local }));
  for (const candidate of candidates) {
    if (await probe(candidate)) return candidate;
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

function probe(adapter: StorageAdapter): Promise<boolean> {
  const key = '__inlong_probe__';
  const check = async (): Promise<boolean> => {
    await adapter.set(key, [1]);
    const back = await adapter.get<number[]>(key);
    await adapter.remove(key);
    return back?.[0] === 1;
  };
  return new Promise((resolve) => {
    setTimeout(() => resolve(false), 1000);
    check().then(resolve, () => resolve(false));
  });
}
