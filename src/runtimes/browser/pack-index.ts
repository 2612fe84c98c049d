import type { QueuedPack } from '../../core/outbox.js';

/** One pack as this tab knows it. */
export interface IndexEntry {
  pack: QueuedPack;
  /** `unsaved`: the storage write is under way; `memory`: storage refused it (lost on a reload). */
  state: 'unsaved' | 'saved' | 'memory';
  /** Set while this tab leases the pack; calling it lets other tabs at the pack again. */
  release?: () => void;
  /** Written to the page-exit journal. */
  journaled?: boolean;
}

/** This tab's view of the shared outbox, in arrival order, with running totals. */
export interface PackIndex {
  get(id: string): IndexEntry | undefined;
  add(pack: QueuedPack, state: IndexEntry['state']): IndexEntry;
  /** Removes `entry` if it is still the one indexed under its id. */
  forget(entry: IndexEntry): void;
  /** False once `entry` was forgotten (delivered, dropped, cleared). */
  current(entry: IndexEntry): boolean;
  /** The oldest pack not in flight here. */
  oldest(): IndexEntry | undefined;
  entries(): IndexEntry[];
  size(): { packs: number; records: number; bytes: number };
  /** Earliest `notBefore` of packs written and not in flight here. */
  nextDue(): number | undefined;
}

/**
 * The in-memory index of a durable outbox: which packs exist, their state, and byte totals for
 * the `maxBytes` bound, without a storage read.
 * @example const index = createPackIndex({ onAdd: wire.prepare, onForget: wire.forget });
 */
export function createPackIndex(hooks: { onAdd?: (pack: QueuedPack) => void; onForget?: (id: string) => void }): PackIndex {
  const entries = new Map<string, IndexEntry>();
  let records = 0;
  let bytes = 0;
  const current = (entry: IndexEntry): boolean => entries.get(entry.pack.id) === entry;
  return {
    get: (id) => entries.get(id),
    add(pack, state) {
      const entry: IndexEntry = { pack, state };
      entries.set(pack.id, entry);
      records += pack.records.length;
      bytes += pack.bytes;
      hooks.onAdd?.(pack);
      return entry;
    },
    forget(entry) {
      if (!current(entry)) return;
      entries.delete(entry.pack.id);
      records -= entry.pack.records.length;
      bytes -= entry.pack.bytes;
      hooks.onForget?.(entry.pack.id);
    },
    current,
    oldest() {
      let oldest: IndexEntry | undefined;
      for (const entry of entries.values()) {
        if (!entry.release && (!oldest || entry.pack.createdAt < oldest.pack.createdAt)) oldest = entry;
      }
      return oldest;
    },
    entries: () => [...entries.values()],
    size: () => ({ packs: entries.size, records, bytes }),
    nextDue() {
      let due: number | undefined;
      for (const { pack, release, state } of entries.values()) {
        if (!release && state !== 'unsaved' && (due === undefined || pack.notBefore < due)) due = pack.notBefore;
      }
      return due;
    },
  };
}
