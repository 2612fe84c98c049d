import type { QueuedPack } from '../../core/outbox.js';
import { createPackIndex, type IndexEntry } from './pack-index.js';
import { isStoredPack, readStoredPacks, storedPack } from './stored-packs.js';
import type { DurableOutbox, DurableOutboxOptions } from './types.js';

const noop = (): void => undefined;

/**
 * An `Outbox` over a `StorageAdapter`, shared by the tabs of an origin. A pack is written when it
 * is formed, leased while in flight (Web Locks or a storage lease, so no two tabs send it), and
 * deleted only when the bridge acknowledged it; a reload or crash mid-flight leaves it in storage
 * for the next `scan`. Bounded by `maxBytes` (stored and memory-only packs together): past it the
 * oldest packs not in flight are dropped (or, with `drop-newest`, the new pack), each drop
 * reported to `onDrop`; nothing throws. A pack the storage refuses (quota full) is kept in memory
 * for this visit and the refusal reported to `onError`.
 * @example
 * const outbox = createDurableOutbox({ storage: chooseStorage(options, localStorage), lock, prefix: 'default:p:', maxBytes: 2 << 20, overflow: 'drop-oldest', onDrop, onError });
 * await outbox.scan();
 */
export function createDurableOutbox(options: DurableOutboxOptions): DurableOutbox {
  const { lock, prefix, journal } = options;
  const busyMs = options.busyMs ?? 1000;
  const index = createPackIndex(options);
  let paused = false;
  let failing = false;
  const key = (id: string): string => prefix + id;

  // Deletes, then releases: no other tab may lease a pack whose delete has not landed.
  const erase = async (entry: IndexEntry): Promise<void> => {
    try {
      if (entry.state !== 'memory') await (await options.storage)?.remove(key(entry.pack.id));
      if (entry.journaled) await journal?.remove(key(entry.pack.id));
    } catch (error) {
      options.onError(error);
    } finally {
      entry.release?.();
      entry.release = undefined;
    }
  };

  const write = async (entry: IndexEntry): Promise<void> => {
    const storage = await options.storage;
    if (!storage || !index.current(entry)) {
      entry.state = 'memory';
      return;
    }
    try {
      await storage.set(key(entry.pack.id), storedPack(entry.pack));
      entry.state = 'saved';
      failing = false;
      // Cleared (opt-out) while the write was under way.
      if (!index.current(entry)) await storage.remove(key(entry.pack.id));
    } catch (error) {
      // Full (the host page's data, a tiny quota) or broken: the pack stays in memory, delivered
      // this visit but not after a reload; `maxBytes` still bounds it. Evicting stored packs to
      // make room would lose data this visit could still deliver. Reported once per failing spell.
      entry.state = 'memory';
      if (!failing) options.onError(error);
      failing = true;
    }
  };

  /** Takes `entry` for this tab, after checking storage that no other tab delivered it already. */
  const take = async (entry: IndexEntry, now: number): Promise<boolean> => {
    entry.release = noop;
    const release = await lock.acquire(entry.pack.id).catch((error: unknown) => {
      // An unusable lock must not stop delivery: a duplicate is dropped by the bridge.
      options.onError(error);
      return noop;
    });
    if (!release) {
      entry.release = undefined;
      entry.pack.notBefore = now + busyMs;
      return false;
    }
    const storage = await options.storage;
    const latest = await (storage ? storage.get<QueuedPack>(key(entry.pack.id)) : Promise.resolve(entry.pack)).catch((error: unknown) => {
      options.onError(error);
      return entry.pack;
    });
    entry.release = undefined;
    if (!index.current(entry) || !isStoredPack(latest)) {
      // Delivered by another tab (or cleared): nothing left to send.
      index.forget(entry);
      release();
      return false;
    }
    entry.pack = { ...latest, ...(entry.pack.meta ? { meta: entry.pack.meta } : {}) };
    if (latest.notBefore > now) {
      release();
      return false;
    }
    entry.release = release;
    return true;
  };

  return {
    name: 'durable',
    durable: true,
    async put(pack) {
      const erasing: Array<Promise<void>> = [];
      while (index.size().bytes + pack.bytes > options.maxBytes && options.overflow === 'drop-oldest') {
        const oldest = index.oldest();
        if (!oldest) break;
        index.forget(oldest);
        options.onDrop({ reason: 'overflow', records: oldest.pack.records.length });
        erasing.push(erase(oldest));
      }
      if (index.size().bytes + pack.bytes > options.maxBytes && index.size().packs > 0) {
        options.onDrop({ reason: 'overflow', records: pack.records.length });
        return;
      }
      // Synchronous up to here: page exit relies on a pack being known the moment it is put.
      const entry = index.add({ ...pack }, 'unsaved');
      await Promise.all(erasing);
      await write(entry);
    },
    async lease(now, limit) {
      const taken: QueuedPack[] = [];
      for (const entry of index.entries()) {
        if (paused || taken.length >= limit) break;
        if (entry.release || entry.state === 'unsaved' || entry.pack.notBefore > now || !index.current(entry)) continue;
        if (entry.state === 'memory') entry.release = noop;
        else if (!(await take(entry, now))) continue;
        taken.push(entry.pack);
      }
      return taken;
    },
    async remove(ids) {
      for (const id of ids) {
        const entry = index.get(id);
        if (!entry) continue;
        index.forget(entry);
        await erase(entry);
      }
    },
    async release(pack) {
      const entry = index.get(pack.id);
      if (!entry) return;
      entry.pack = { ...pack };
      try {
        // Stored with its backoff, so other tabs and the next visit wait too.
        if (entry.state === 'saved') await (await options.storage)?.set(key(pack.id), storedPack(pack));
      } catch (error) {
        options.onError(error);
      } finally {
        const release = entry.release;
        entry.release = undefined;
        release?.();
      }
    },
    async takeAll() {
      const all = index.entries();
      for (const entry of all) index.forget(entry);
      const storage = await options.storage;
      for (const name of (await storage?.keys(prefix)) ?? []) await storage?.remove(name);
      for (const name of journal ? await journal.keys(prefix) : []) await journal?.remove(name);
      for (const entry of all) entry.release?.();
      return all.map((entry) => entry.pack);
    },
    size: index.size,
    nextDue: () => (paused ? undefined : index.nextDue()),
    async scan() {
      const storage = await options.storage;
      if (!storage) return;
      const found = await readStoredPacks(storage, journal, prefix, (id) => index.get(id) !== undefined);
      for (const pack of found) if (!index.get(pack.id)) index.add(pack, 'saved');
      if (found.length > 0) options.onWake?.();
    },
    setPaused(value) {
      paused = value;
      if (value) return;
      for (const entry of index.entries()) if (!entry.release) entry.pack.notBefore = 0;
      options.onWake?.();
    },
    journal() {
      let written = 0;
      for (const entry of index.entries()) {
        if (entry.state !== 'unsaved' || entry.journaled || !journal) continue;
        try {
          entry.journaled = journal.setSync(key(entry.pack.id), storedPack(entry.pack));
          if (entry.journaled) written++;
        } catch (error) {
          options.onError(error);
        }
      }
      return written;
    },
    packs: () => index.entries().map((entry) => entry.pack),
    delivered(ids) {
      for (const id of ids) {
        const entry = index.get(id);
        if (entry && !entry.release) index.forget(entry);
      }
    },
  };
}
