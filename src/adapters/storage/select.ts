import type { StorageAdapter } from '../../core/types.js';
import { createIndexedDbStorage } from './indexeddb.js';
import { createLocalStorage } from './local-storage.js';
import { createMemoryStorage } from './memory.js';

export type StorageKind = 'indexedDB' | 'localStorage' | 'memory';

export interface SelectStorageOptions {
  /** Factory to probe instead of `globalThis.indexedDB`; `null` skips IndexedDB. */
  indexedDB?: IDBFactory | null;
  /** Storage to probe instead of `globalThis.localStorage`; `null` skips localStorage. */
  localStorage?: Storage | null;
  /** Order to try. Default `['indexedDB', 'localStorage', 'memory']`; memory is always the last resort. */
  prefer?: StorageKind[];
  /** How long one probe may take before that backend counts as broken. Default 1000 ms. */
  probeTimeoutMs?: number;
  /** Passed to the IndexedDB adapter. */
  dbName?: string;
  storeName?: string;
  /** Passed to the localStorage adapter. */
  prefix?: string;
  /** Passed to the memory adapter. */
  maxBytes?: number;
  /** Told why a backend was skipped (for debug logs); never affects the choice. */
  onProbeFailure?: (kind: StorageKind, error: unknown) => void;
}

const DEFAULT_ORDER: readonly StorageKind[] = ['indexedDB', 'localStorage', 'memory'];

/**
 * Picks the first backend that really works here: each one is probed by writing, reading back
 * and deleting a key, because being present is not enough (Safari private mode had a
 * localStorage that threw on every write; Firefox private mode failed IndexedDB opens; some
 * WebViews never answer an open at all).
 *
 * @example
 * const storage = await selectStorage();           // IndexedDB in a normal browser tab
 * storage.name;                                    // 'indexedDB' | 'localStorage' | 'memory'
 * await selectStorage({ prefer: ['localStorage'] }); // skip IndexedDB on purpose
 */
export async function selectStorage(options: SelectStorageOptions = {}): Promise<StorageAdapter> {
  const timeoutMs = options.probeTimeoutMs ?? 1000;
  for (const kind of options.prefer ?? DEFAULT_ORDER) {
    if (kind === 'memory') break;
    const adapter = candidate(kind, options);
    if (adapter === undefined) continue;
    try {
      await withTimeout(probe(adapter), timeoutMs, kind);
      return adapter;
    } catch (error) {
      // This backend is unusable here; report why and try the next one.
      options.onProbeFailure?.(kind, error);
    }
  }
  return createMemoryStorage({ maxBytes: options.maxBytes });
}

function candidate(kind: StorageKind, options: SelectStorageOptions): StorageAdapter | undefined {
  if (kind === 'indexedDB') {
    const factory = options.indexedDB === null ? undefined : (options.indexedDB ?? readGlobal('indexedDB'));
    if (typeof factory?.open !== 'function') return undefined;
    return createIndexedDbStorage({ indexedDB: factory, dbName: options.dbName, storeName: options.storeName });
  }
  if (kind === 'localStorage') {
    const storage = options.localStorage === null ? undefined : (options.localStorage ?? readGlobal('localStorage'));
    if (typeof storage?.setItem !== 'function') return undefined;
    return createLocalStorage({ storage, prefix: options.prefix });
  }
  return undefined;
}

function readGlobal<K extends 'indexedDB' | 'localStorage'>(name: K): (typeof globalThis)[K] | undefined {
  try {
    return (globalThis as Partial<typeof globalThis>)[name];
  } catch (error) {
    // Chrome with site data blocked (and sandboxed iframes) throw a SecurityError on the property
    // read itself: the backend is absent for us.
    if ((error as { name?: unknown } | null)?.name === 'SecurityError') return undefined;
    throw error;
  }
}

async function probe(adapter: StorageAdapter): Promise<void> {
  const key = `__inlong_probe__:${Date.now().toString(36)}:${Math.random().toString(36).slice(2)}`;
  const value = { probe: key, bytes: new Uint8Array([1, 2, 3]) };
  await adapter.set(key, value);
  const back = await adapter.get<typeof value>(key);
  await adapter.remove(key);
  if (back?.probe !== key || !(back.bytes instanceof Uint8Array) || back.bytes[2] !== 3) {
    throw new Error(`${adapter.name} probe read back something else than it wrote`);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, kind: StorageKind): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = globalThis.setTimeout(() => reject(new Error(`${kind} probe timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        globalThis.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        globalThis.clearTimeout(timer);
        reject(error);
      },
    );
  });
}
