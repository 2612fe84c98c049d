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

/** Marks a `Uint8Array` in JSON: `{"__inlong_u8__": "<base64>"}`. */
const BYTES_TAG = '__inlong_u8__';

/**
 * Stores values as JSON in Web Storage (`Uint8Array` as tagged base64). Survives reloads; about
 * 5 MB per origin, shared with the host page. Like JSON, `NaN` and `Infinity` come back as `null`.
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
    const found = options.storage ?? (globalThis as { localStorage?: Storage }).localStorage;
    if (found === undefined) throw new Error('localStorage is not available here: pass options.storage');
    return found;
  };
  const put = (key: string, text: string | undefined): void => {
    // JSON.stringify(undefined) gives undefined; storing nothing is what get() reports anyway.
    if (text === undefined) storage().removeItem(prefix + key);
    else storage().setItem(prefix + key, text);
  };

  return {
    name: 'localStorage',
    async get<T = unknown>(key: string): Promise<T | undefined> {
      const text = storage().getItem(prefix + key);
      return text === null ? undefined : (JSON.parse(text, decodeBytes) as T);
    },
    async set(key: string, value: unknown): Promise<void> {
      const text = serialise(value);
      try {
        put(key, text);
      } catch (error) {
        if (isQuotaExceededError(error)) {
          throw new StorageQuotaError(`localStorage is full writing "${key}"`, { cause: error });
        }
        throw error;
      }
    },
    setSync(key: string, value: unknown): boolean {
      const text = serialise(value);
      try {
        put(key, text);
        return true;
      } catch (error) {
        // Quota full, Safari private mode (< 11 throws on every write) or storage blocked: page
        // exit must not throw at the host page, and the caller falls back to sendBeacon alone.
        if (isQuotaExceededError(error) || (error as { name?: unknown } | null)?.name === 'SecurityError') return false;
        throw error;
      }
    },
    async remove(key: string): Promise<void> {
      storage().removeItem(prefix + key);
    },
    async keys(keyPrefix: string): Promise<string[]> {
      const store = storage();
      const found: string[] = [];
      // Collect first: Storage.key(i) order is unspecified and shifts if the store changes.
      for (let index = 0; index < store.length; index++) {
        const key = store.key(index);
        if (key !== null && key.startsWith(prefix + keyPrefix)) found.push(key.slice(prefix.length));
      }
      return found;
    },
  };
}

function serialise(value: unknown): string | undefined {
  return JSON.stringify(value, encodeBytes) as string | undefined;
}

function encodeBytes(this: unknown, key: string, value: unknown): unknown {
  // Look at the holder's own value, not `value`: Node's Buffer (a Uint8Array) has a toJSON that
  // JSON.stringify applies before the replacer sees it.
  const original = (this as Record<string, unknown>)[key];
  return original instanceof Uint8Array ? { [BYTES_TAG]: toBase64(original) } : value;
}

function decodeBytes(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const tagged = (value as Record<string, unknown>)[BYTES_TAG];
  return typeof tagged === 'string' && Object.keys(value).length === 1 ? fromBase64(tagged) : value;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked: String.fromCharCode(...bytes) overflows the call stack past ~100 KB in V8.
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
