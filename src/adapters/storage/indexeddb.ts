import { del, get, keys, promisifyRequest, set, type UseStore } from 'idb-keyval';
import { StorageQuotaError, isQuotaExceededError } from '../../core/errors/storage-quota-error.js';
import type { StorageAdapter } from '../../core/types.js';

export interface IndexedDbStorageOptions {
  /** Database name. Default `'inlong-js'`. */
  dbName?: string;
  /** Object store inside it. Default `'outbox'`. */
  storeName?: string;
  /** The factory to open the database with. Default: `globalThis.indexedDB`, read on first call. */
  indexedDB?: IDBFactory;
}

/**
 * Stores values in IndexedDB through idb-keyval. Nothing happens until the first call: that is
 * when the database is opened (and created). Values are copied when `set` is called, so later
 * changes to the caller's object are never written.
 *
 * @example
 * const storage = createIndexedDbStorage({ dbName: 'my-app' });
 * await storage.set('outbox:1', { records: ['{"#event_name":"view"}'], body: new Uint8Array(8) });
 * await storage.keys('outbox:'); // ['outbox:1']
 */
export function createIndexedDbStorage(options: IndexedDbStorageOptions = {}): StorageAdapter {
  const storeName = options.storeName ?? 'outbox';
  let opening: Promise<IDBDatabase> | undefined;
  // idb-keyval's `createStore`, with the factory injected (idb-keyval reads the global
  // `indexedDB`) and two repairs: a database without our store gets it added, and a connection
  // another tab wants to upgrade is closed instead of blocking that tab.
  const store: UseStore = (mode, callback) => {
    const current = (opening ??= openDatabase(options.indexedDB ?? globalThis.indexedDB, options.dbName ?? 'inlong-js', storeName));
    // A failed open (private mode, blocked storage) is not cached; neither is a connection Safari
    // closed on its own or another tab's upgrade made us close: the next call opens again.
    const forget = (): void => {
      if (opening === current) opening = undefined;
    };
    return current.then((db) => {
      db.onclose = forget;
      db.onversionchange = () => {
        db.close();
        forget();
      };
      return callback(db.transaction(storeName, mode).objectStore(storeName));
    }, (error: unknown) => {
      forget();
      throw error;
    });
  };

  return {
    name: 'indexedDB',
    get: (key) => get(key, store),
    async set(key, value) {
      // Snapshot at call time: the put itself runs later (after the lazy open), when the caller
      // may already have changed the object. Safari before 15.4 has IndexedDB without
      // structuredClone: it writes the value as it is by then.
      const copy = typeof structuredClone === 'function' ? structuredClone(value) : value;
      try {
        await set(key, copy, store);
      } catch (error) {
        throw isQuotaExceededError(error) ? new StorageQuotaError(`IndexedDB is full writing "${key}"`, { cause: error }) : error;
      }
    },
    remove: (key) => del(key, store),
    keys: async (prefix) => (await keys<IDBValidKey>(store)).filter((key): key is string => typeof key === 'string' && key.startsWith(prefix)),
  };
}

async function openDatabase(factory: IDBFactory | undefined, dbName: string, storeName: string): Promise<IDBDatabase> {
  const open = (version?: number): Promise<IDBDatabase> => {
    if (typeof factory?.open !== 'function') throw new Error('no IndexedDB here: pass options.indexedDB');
    const request = factory.open(dbName, version);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(storeName)) request.result.createObjectStore(storeName);
    };
    return promisifyRequest(request);
  };
  const db = await open();
  if (db.objectStoreNames.contains(storeName)) return db;
  // The database was created with other stores (another storeName or an older schema): open
  // the next version to add ours.
  db.close();
  return open(db.version + 1);
}
