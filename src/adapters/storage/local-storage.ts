import { StorageQuotaError, isQuotaExceededError } from '../../core/errors/storage-quota-error.js';
import type { StorageAdapter } from '../../core/types.js';

export interface LocalStorageOptions {
  /** The Web Storage object to use. Default: `globalThis.localStorage`, read on first use. */
  storage?: Storage;
  /** Prepended to every key, so `keys()` never sees the host page's own entries. Default `'inlong-js:'`. */
  prefix?: string;
}

/** A localStorage adapter with the synchronous write that page exit needs. */
export interface LocalStorageAdapter extends StorageAdapter {
  /**
   * Writes at once, for `pagehide`/`unload` where an awaited write may never finish. Returns false
   * when the storage refused the write (quota full, or storage blocked) instead of throwing at the
   * page; still throws for a value that cannot be serialised (a caller bug).
   */
  setSync(key: string, value: unknown): boolean;
}

/**
 * Marks a `Uint8Array` in JSON: `{"__inlong_u8__": [1, 2]}`. A plain array rather than base64:
 * no codec to ship, and the outbox itself never stores bytes (its packs are strings).
 */
const BYTES_TAG = '__inlong_u8__';

/**
 * Stores values as JSON in Web Storage (`Uint8Array` tagged). Survives reloads; about 5 MB per
 * origin, shared with the host page. Like JSON, `NaN` and `Infinity` come back as `null`.
 *
 * @example
 * const storage = createLocalStorage({ prefix: 'my-app:' });
 * await storage.set('outbox:1', { body: new Uint8Array([1, 2]) });
 * storage.setSync('outbox:2', { records: [] }); // from a pagehide listener
 */
export function createLocalStorage(options: LocalStorageOptions = {}): LocalStorageAdapter {
  const prefix = options.prefix ?? 'inlong-js:';
  // Read lazily and on every call: in Chrome with site data blocked, merely reading
  // `globalThis.localStorage` throws a SecurityError, which must surface as a rejected call.
  const storage = (): Storage => {
    const found = options.storage ?? globalThis.localStorage;
    if (!found) throw new Error('no localStorage here: pass options.storage');
    return found;
  };
  /** Writes at once; a refusal becomes a `StorageQuotaError` when the quota is what refused. */
  const put = (key: string, value: unknown): void => {
    // Look at the holder's own value, not `found`: Node's Buffer (a Uint8Array) has a toJSON that
    // JSON.stringify applies before the replacer sees it.
    const text = JSON.stringify(value, function (this: Record<string, unknown>, name: string, found: unknown) {
      const original = this[name];
      return original instanceof Uint8Array ? { [BYTES_TAG]: Array.from(original) } : found;
    }) as string | undefined;
    try {
      // JSON.stringify(undefined) gives undefined; storing nothing is what get() reports anyway.
      if (text === undefined) storage().removeItem(prefix + key);
      else storage().setItem(prefix + key, text);
    } catch (error) {
      throw isQuotaExceededError(error) ? new StorageQuotaError(`localStorage is full writing "${key}"`, { cause: error }) : error;
    }
  };

  return {
    name: 'localStorage',
    async get<T = unknown>(key: string): Promise<T | undefined> {
      const text = storage().getItem(prefix + key);
      return text === null ? undefined : (JSON.parse(text, (_name, value: unknown) => {
        const tagged = (value as Record<string, unknown> | null)?.[BYTES_TAG];
        return Array.isArray(tagged) && Object.keys(value as object).length === 1 ? Uint8Array.from(tagged as number[]) : value;
      }) as T);
    },
    set: async (key, value) => put(key, value),
    setSync(key, value) {
      try {
        put(key, value);
        return true;
      } catch (error) {
        // Quota full, Safari private mode (< 11 throws on every write) or storage blocked: page
        // exit must not throw at the host page, and the caller falls back to sendBeacon alone.
        if (error instanceof StorageQuotaError || (error as { name?: unknown } | null)?.name === 'SecurityError') return false;
        throw error;
      }
    },
    remove: async (key) => storage().removeItem(prefix + key),
    async keys(keyPrefix) {
      const store = storage();
      const found: string[] = [];
      // Collect first: Storage.key(i) order is unspecified and shifts if the store changes.
      for (let index = 0; index < store.length; index++) {
        const key = store.key(index);
        if (key?.startsWith(prefix + keyPrefix)) found.push(key.slice(prefix.length));
      }
      return found;
    },
  };
}
