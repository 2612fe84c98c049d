import type { LocalStorageAdapter } from '../../adapters/storage/local-storage.js';
import type { QueuedPack } from '../../core/outbox.js';
import type { StorageAdapter } from '../../core/types.js';

/** One pack as this tab knows it. */
export interface PackEntry {
  pack: QueuedPack;
  /** `unsaved`: the storage write is under way; `memory`: storage refused it (lost on a reload). */
  state: 'unsaved' | 'saved' | 'memory';
  /** Set while this tab leases the pack; calling it lets other tabs at the pack again. */
  release?: (() => void) | undefined;
  /** Written to the page-exit journal. */
  journaled?: boolean;
}

/**
 * A pack as it is stored: without `meta` (callbacks, which structured clone cannot store) and
 * `wire` (the records form-encoded: memory only, it would double what is stored).
 * @example await storage.set(key, storedPack(pack));
 */
export const storedPack = ({ meta: _meta, wire: _wire, ...pack }: QueuedPack): QueuedPack => pack;

/**
 * True for a value shaped like a stored pack (storage may hold anything under our prefix).
 * @example if (isStoredPack(await storage.get(key))) ...
 */
export const isStoredPack = (value: unknown): value is QueuedPack => Array.isArray((value as QueuedPack | undefined)?.records);

/**
 * Packs in storage under `prefix` that `known` does not know, oldest first: left by an earlier
 * visit, a crashed or closed tab, or another live tab. Page-exit journal entries (localStorage,
 * written synchronously when an IndexedDB write could not finish) move into `storage` first.
 * @example const found = await readStoredPacks(storage, journal, 'default:p:', (id) => index.get(id) !== undefined);
 */
export async function readStoredPacks(
  storage: StorageAdapter,
  journal: LocalStorageAdapter | undefined,
  prefix: string,
  known: (id: string) => boolean,
): Promise<QueuedPack[]> {
  // With localStorage as the storage, the journal is the same store: nothing to move.
  if (journal && storage.name !== 'localStorage') {
    for (const name of await journal.keys(prefix)) {
      const pack = await journal.get(name);
      if (isStoredPack(pack) && !known(pack.id)) await storage.set(name, pack);
      await journal.remove(name);
    }
  }
  const found: QueuedPack[] = [];
  for (const name of await storage.keys(prefix)) {
    if (known(name.slice(prefix.length))) continue;
    const pack = await storage.get(name);
    if (isStoredPack(pack)) found.push(pack);
  }
  return found.sort((a, b) => a.createdAt - b.createdAt);
}
