/**
 * Runs in Chromium (bundled by test/browser/storage-contract.test.ts). Executes the shared
 * storage contract for every adapter, plus the browser runtime's storage choice and quota cases, with a tiny in-page
 * describe/it/expect, and publishes `{ name, ok, error }` per case on `globalThis.__results`.
 */
import { createIndexedDbStorage } from '../../../src/adapters/storage/indexeddb.js';
import { createLocalStorage } from '../../../src/adapters/storage/local-storage.js';
import { createMemoryStorage } from '../../../src/adapters/storage/memory.js';
import { isStorageQuotaError } from '../../../src/core/errors/storage-quota-error.js';
import type { ResolvedOptions } from '../../../src/runtimes/browser/options.js';
import { chooseStorage } from '../../../src/runtimes/browser/storage-choice.js';
import { storageContract, type ContractRunner } from '../../helpers/storage-contract.js';

interface CaseResult {
  name: string;
  ok: boolean;
  error?: string;
}

interface PageGlobals {
  __results?: CaseResult[];
  __done?: boolean;
  /** Called by the Node test: this origin's quota was set to 64 MiB through CDP before loading. */
  __indexedDbQuotaCase?: () => Promise<CaseResult>;
}

const queue: { name: string; body: () => Promise<void> | void }[] = [];
const path: string[] = [];

const runner: ContractRunner = {
  describe(name, body) {
    path.push(name);
    try {
      body();
    } finally {
      path.pop();
    }
  },
  it(name, body) {
    queue.push({ name: [...path, name].join(' > '), body });
  },
  expect(actual) {
    const fail = (what: string, expected?: unknown): never => {
      throw new Error(`expected ${show(actual)} ${what} ${expected === undefined ? '' : show(expected)}`);
    };
    return {
      toBe: (expected) => (Object.is(actual, expected) ? undefined : fail('to be', expected)),
      toEqual: (expected) => (deepEqual(actual, expected) ? undefined : fail('to equal', expected)),
      toBeUndefined: () => (actual === undefined ? undefined : fail('to be undefined')),
    };
  },
};

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.length === kb.length && ka.every((key) => key in rb && deepEqual(ra[key], rb[key]));
}

function show(value: unknown): string {
  const text = value instanceof Uint8Array ? `Uint8Array[${value.join(',')}]` : JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

const quotaError = (): DOMException => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** An IDBFactory whose open throws at once (as Firefox private mode's did before v115). */
const throwingIndexedDb = {
  open() {
    throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
  },
} as unknown as IDBFactory;

/** An IDBFactory whose open request never settles (seen in some embedded WebViews). */
const hangingIndexedDb = { open: () => ({}) } as unknown as IDBFactory;

/** A Storage whose writes fail as Safari private mode's did before Safari 11, or a full one. */
function fullStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    key: (index: number) => [...data.keys()][index] ?? null,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: () => {
      throw quotaError();
    },
    removeItem: (key: string) => void data.delete(key),
    clear: () => data.clear(),
  };
}

let serial = 0;
localStorage.clear();
storageContract('memory', () => createMemoryStorage(), runner);
storageContract('localStorage', () => createLocalStorage({ prefix: `contract-${serial++}:` }), runner);
storageContract('indexedDB', () => createIndexedDbStorage({ dbName: `contract-${serial++}` }), runner);

runner.describe('indexedDB', () => {
  runner.it('adds a second store to an existing database', async () => {
    const first = createIndexedDbStorage({ dbName: 'two-stores', storeName: 'one' });
    await first.set('k', 1);
    const second = createIndexedDbStorage({ dbName: 'two-stores', storeName: 'two' });
    await second.set('k', 2);
    runner.expect(await first.get('k')).toBe(1);
    runner.expect(await second.get('k')).toBe(2);
  });
});

runner.describe('chooseStorage', () => {
  // The browser runtime's own choice, with only the options it reads.
  const pick = async (storage: ResolvedOptions['storage'], indexedDB?: IDBFactory, local: Storage | undefined = localStorage) =>
    (await chooseStorage({ storage, globals: indexedDB ? { indexedDB } : {} } as ResolvedOptions, local))?.name ?? 'memory';
  runner.it('picks indexedDB normally', async () => {
    runner.expect(await pick('auto')).toBe('indexedDB');
  });
  runner.it('picks localStorage when indexedDB.open throws', async () => {
    runner.expect(await pick('auto', throwingIndexedDb)).toBe('localStorage');
  });
  runner.it('picks localStorage when indexedDB.open never answers', async () => {
    runner.expect(await pick('auto', hangingIndexedDb)).toBe('localStorage');
  });
  runner.it('keeps packs in memory when indexedDB and localStorage both fail', async () => {
    runner.expect(await pick('auto', throwingIndexedDb, fullStorage())).toBe('memory');
  });
  runner.it('follows the storage option', async () => {
    runner.expect(await pick('localStorage')).toBe('localStorage');
    runner.expect(await pick('memory')).toBe('memory');
  });
});

runner.describe('quota', () => {
  runner.it('localStorage set rejects with StorageQuotaError', async () => {
    const storage = createLocalStorage({ storage: fullStorage() });
    const error = await storage.set('k', { a: 1 }).then(() => undefined, (caught: unknown) => caught);
    runner.expect(isStorageQuotaError(error)).toBe(true);
    runner.expect((error as { code?: unknown }).code).toBe('STORAGE_QUOTA');
    runner.expect(((error as { cause?: { name?: unknown } }).cause)?.name).toBe('QuotaExceededError');
  });
  runner.it('localStorage setSync returns false on a quota error', () => {
    const storage = createLocalStorage({ storage: fullStorage() });
    runner.expect(storage.setSync('k', { a: 1 })).toBe(false);
  });
  runner.it('real localStorage rejects a value past its limit, setSync returns false', async () => {
    const storage = createLocalStorage({ prefix: 'too-big:' });
    const error = await storage.set('k', 'x'.repeat(12 * 1024 * 1024)).then(() => undefined, (caught: unknown) => caught);
    runner.expect(isStorageQuotaError(error)).toBe(true);
    runner.expect(storage.setSync('k', 'x'.repeat(12 * 1024 * 1024))).toBe(false);
    runner.expect(storage.setSync('k', 'small')).toBe(true);
  });
});

const globals = globalThis as PageGlobals;

globals.__indexedDbQuotaCase = async () => {
  const name = 'quota > indexedDB set rejects with StorageQuotaError';
  try {
    const storage = createIndexedDbStorage({ dbName: 'quota' });
    const error = await storage.set('k', new Uint8Array(80 * 1024 * 1024)).then(() => undefined, (caught: unknown) => caught);
    if (!isStorageQuotaError(error)) throw new Error(`expected a StorageQuotaError, got ${String(error)}`);
    runner.expect(await storage.get('k')).toBeUndefined();
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, error: String((error as Error).stack ?? error) };
  }
};

void (async () => {
  const results: CaseResult[] = [];
  for (const { name, body } of queue) {
    try {
      await body();
      results.push({ name, ok: true });
    } catch (error) {
      // A failing case is a result to report, not a reason to stop the others.
      results.push({ name, ok: false, error: String((error as Error).stack ?? error) });
    }
  }
  globals.__results = results;
  globals.__done = true;
})();
