import { StorageQuotaError } from '../../core/errors/storage-quota-error.js';
import type { StorageAdapter } from '../../core/types.js';

export interface MemoryStorageOptions {
  /**
   * Budget for keys and values, in estimated bytes (UTF-16 for strings, as browsers count
   * storage). A `set` that would exceed it rejects with `StorageQuotaError`. Default: unbounded.
   */
  maxBytes?: number;
}

/**
 * Keeps values in a `Map`, copied on the way in and out so callers can never mutate what is
 * stored. The last-resort outbox (nothing survives a reload) and the store for tests.
 *
 * @example
 * const storage = createMemoryStorage({ maxBytes: 5 * 1024 * 1024 });
 * await storage.set('outbox:1', { records: ['{"#event_name":"view"}'] });
 * await storage.keys('outbox:'); // ['outbox:1']
 */
export function createMemoryStorage(options: MemoryStorageOptions = {}): StorageAdapter {
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  // structuredClone is missing in Node < 17, Safari < 15.4 and Chrome < 98: fall back to a copy
  // that covers the value types the StorageAdapter contract promises.
  const clone: <T>(value: T) => T =
    typeof globalThis.structuredClone === 'function' ? (value) => globalThis.structuredClone(value) : copyValue;
  const data = new Map<string, { value: unknown; bytes: number }>();
  let used = 0;

  return {
    name: 'memory',
    async get<T = unknown>(key: string): Promise<T | undefined> {
      const entry = data.get(key);
      return entry === undefined ? undefined : clone(entry.value as T);
    },
    async set(key: string, value: unknown): Promise<void> {
      const copy = clone(value);
      const bytes = estimateBytes(key) + estimateBytes(copy);
      const previous = data.get(key)?.bytes ?? 0;
      if (used - previous + bytes > maxBytes) {
        throw new StorageQuotaError(`memory storage is full: ${used - previous + bytes} > maxBytes ${maxBytes}`);
      }
      data.set(key, { value: copy, bytes });
      used += bytes - previous;
    },
    async remove(key: string): Promise<void> {
      const entry = data.get(key);
      if (entry === undefined) return;
      data.delete(key);
      used -= entry.bytes;
    },
    async keys(prefix: string): Promise<string[]> {
      return [...data.keys()].filter((key) => key.startsWith(prefix));
    },
  };
}

/** Deep copy of plain objects, arrays and byte arrays; other values are immutable or shared. */
function copyValue<T>(value: T): T {
  if (value instanceof Uint8Array) return value.slice() as T;
  if (Array.isArray(value)) return value.map(copyValue) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = copyValue(item);
    return out as T;
  }
  return value;
}

/** A cheap size estimate, good enough to bound memory; not an exact heap measurement. */
function estimateBytes(value: unknown): number {
  if (typeof value === 'string') return value.length * 2;
  if (typeof value === 'number') return 8;
  if (typeof value === 'boolean') return 4;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + estimateBytes(item), 8);
  if (typeof value === 'object' && value !== null) {
    let sum = 8;
    for (const [key, item] of Object.entries(value)) sum += key.length * 2 + estimateBytes(item);
    return sum;
  }
  return 0;
}
