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
  const dbName = options.dbName ?? 'inlong-js';
  const storeName = options.storeName ?? 'outbox';
  const store = createLazyStore(() => options.indexedDB ?? globalThis.indexedDB, dbName, storeName);
  // Snapshot at call time: the put itself runs later (after the lazy open), when the caller may
  // already have changed the object. Every runtime with IndexedDB also has structuredClone.
  const snapshot = (value: unknown): unknown =>
    typeof globalThis.structuredClone === 'function' ? globalThis.structuredClone(value) : value;

  return {
    name: 'indexedDB',
    async get<T = unknown>(key: string): Promise<T | undefined> {
      return get<T>(key, store);
    },
    async set(key: string, value: unknown): Promise<void> {
      const copy = snapshot(value);
      try {
        await set(key, copy, store);
      } catch (error) {
        if (isQuotaExceededError(error)) {
          throw new StorageQuotaError(`IndexedDB is full writing "${key}"`, { cause: error });
        }
        throw error;
      }
    },
    async remove(key: string): Promise<void> {
      await del(key, store);
    },
    async keys(prefix: string): Promise<string[]> {
      const all = await keys<IDBValidKey>(store);
      return all.filter((key): key is string => typeof key === 'string' && key.startsWith(prefix));
    },
  };
}

/**
 * idb-keyval's `createStore`, with the factory injected (idb-keyval reads the global `indexedDB`)
 * and two repairs: a database that exists without our store gets it added, and a connection
 * another tab wants to upgrade is closed instead of blocking that tab.
 */
function createLazyStore(factory: () => IDBFactory | undefined, dbName: string, storeName: string): UseStore {
  let opening: Promise<IDBDatabase> | undefined;
  const database = (): Promise<IDBDatabase> => {
    if (opening !== undefined) return opening;
    const current = openDatabase(factory(), dbName, storeName);
    opening = current;
    current.then(
      (db) => {
        // Safari sometimes closes connections on its own; reopen on the next call.
        db.onclose = () => forget(current);
        db.onversionchange = () => {
          db.close();
          forget(current);
        };
      },
      // A failed open (private mode, blocked storage) must not be cached: retry next call.
      () => forget(current),
    );
    return current;
  };
  const forget = (which: Promise<IDBDatabase>): void => {
    if (opening === which) opening = undefined;
  };
  return (mode, callback) => database().then((db) => callback(db.transaction(storeName, mode).objectStore(storeName)));
}

async function openDatabase(factory: IDBFactory | undefined, dbName: string, storeName: string): Promise<IDBDatabase> {
  if (typeof factory?.open !== 'function') {
    throw new Error('IndexedDB is not available here: pass options.indexedDB');
  }
  const db = await promisifyRequest(withStore(factory.open(dbName), storeName));
  if (db.objectStoreNames.contains(storeName)) return db;
  // The database was created with other stores (another storeName or an older schema): open
  // the next version to add ours.
  const version = db.version + 1;
  db.close();
  return promisifyRequest(withStore(factory.open(dbName, version), storeName));
}

function withStore(request: IDBOpenDBRequest, storeName: string): IDBOpenDBRequest {
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(storeName)) request.result.createObjectStore(storeName);
  };
  return request;
}
