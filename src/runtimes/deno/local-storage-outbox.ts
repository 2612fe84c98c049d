import { ConfigError } from '../../core/errors/config-error.js';
import { StorageQuotaError, isQuotaExceededError } from '../../core/errors/storage-quota-error.js';
import { createMemoryOutbox, type Outbox, type QueuedPack } from '../../core/outbox.js';

/**
 * Options of {@link createLocalStorageOutbox}.
 * @example createLocalStorageOutbox({ prefix: 'orders:', onError: console.warn })
 */
export interface LocalStorageOutboxOptions {
  /** Default `globalThis.localStorage`, read when the outbox is created. */
  storage?: Storage;
  /** Key prefix; give each sender its own. Default `'inlong-js:outbox:'`. */
  prefix?: string;
  /** A stored entry that could not be read back (it is removed). */
  onError?: (error: Error) => void;
}

// `meta` holds per-message callbacks, which JSON cannot carry; a restored pack has none.
const stored = ({ meta: _meta, ...pack }: QueuedPack): QueuedPack => pack;
const isPack = (value: unknown): value is QueuedPack =>
  typeof (value as QueuedPack | null)?.id === 'string' && Array.isArray((value as QueuedPack).records);

/**
 * True where a Web Storage `localStorage` works: Deno (kept per `--location`, or per main
 * module), browsers. Probed by a write, because presence alone is not enough.
 * @example const outbox = hasLocalStorage() ? createLocalStorageOutbox({ prefix: 'app:' }) : undefined;
 */
export function hasLocalStorage(storage?: Storage): boolean {
  try {
    const store = storage ?? (globalThis as { localStorage?: Storage }).localStorage;
    if (typeof store?.setItem !== 'function') return false;
    store.setItem('inlong-js:probe', '1');
    store.removeItem('inlong-js:probe');
    return true;
  } catch {
    // Blocked or full storage (a SecurityError or QuotaExceededError) is no storage for us.
    return false;
  }
}

/**
 * A durable `Outbox` in `localStorage`: a pack is written when formed and removed only when
 * acknowledged (or finally failed), so what a crashed or killed process had not delivered is
 * found and sent by the next one. Reads are synchronous (Deno's `localStorage` is), so the
 * packs left over are counted and due from the moment the outbox exists. One process per
 * storage location: two processes sharing it would both send the leftovers (`#uuid` dedups).
 * @example
 * const outbox = createLocalStorageOutbox({ prefix: 'orders:' });
 * outbox.size(); // packs a previous run left undelivered
 */
export function createLocalStorageOutbox(options: LocalStorageOutboxOptions = {}): Outbox {
  const storage = options.storage ?? (globalThis as { localStorage?: Storage }).localStorage;
  if (typeof storage?.setItem !== 'function') throw new ConfigError('storage', 'this runtime has no localStorage; pass options.storage');
  const prefix = options.prefix ?? 'inlong-js:outbox:';
  // The memory outbox keeps the order, leases and counts; this one writes every change through.
  const memory = createMemoryOutbox();
  const write = (pack: QueuedPack): void => {
    try {
      storage.setItem(prefix + pack.id, JSON.stringify(stored(pack)));
    } catch (error) {
      if (isQuotaExceededError(error)) throw new StorageQuotaError(`localStorage is full writing pack ${pack.id}`, { cause: error });
      throw error;
    }
  };

  for (const pack of restore(storage, prefix, options.onError).sort((a, b) => a.createdAt - b.createdAt)) {
    // Whatever was in flight when the last process ended is due again now.
    void memory.put({ ...pack, notBefore: 0 });
  }

  return {
    ...memory,
    name: 'localStorage',
    durable: true,
    async put(pack) {
      write(pack);
      await memory.put(pack);
    },
    async remove(ids) {
      for (const id of ids) storage.removeItem(prefix + id);
      await memory.remove(ids);
    },
    async release(pack) {
      write(pack);
      await memory.release(pack);
    },
    async takeAll() {
      const all = await memory.takeAll();
      for (const pack of all) storage.removeItem(prefix + pack.id);
      return all;
    },
  };
}

function restore(storage: Storage, prefix: string, onError: ((error: Error) => void) | undefined): QueuedPack[] {
  const keys: string[] = [];
  // Collect first: Storage.key(i) shifts when entries are removed below.
  for (let index = 0; index < storage.length; index++) {
    const key = storage.key(index);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  const packs: QueuedPack[] = [];
  for (const key of keys) {
    const text = storage.getItem(key);
    let value: unknown;
    try {
      value = text === null ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (written by something else under our prefix): handled as unreadable below.
      value = undefined;
    }
    if (isPack(value)) packs.push(value);
    else {
      storage.removeItem(key);
      onError?.(new Error(`removed an unreadable outbox entry ${key}`));
    }
  }
  return packs;
}
