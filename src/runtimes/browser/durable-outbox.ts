import type { QueuedPack } from '../../core/outbox.js';
import { isStoredPack, readStoredPacks, storedPack, type PackEntry as Entry } from './stored-packs.js';
import type { DurableOutbox, DurableOutboxOptions } from './types.js';

const noop = (): void => undefined;

/**
 * An `Outbox` over a `StorageAdapter`, shared by the tabs of an origin. A pack is written when it
 * is formed, leased while in flight (Web Locks or a storage lease, so no two tabs send it), and
 * deleted only when the bridge acknowledged it; a reload or crash mid-flight leaves it in storage
 * for the next `scan`. Bounded by `maxBytes` (stored and memory-only packs together): past it the
 * oldest packs not in flight are dropped (or, with `drop-newest`, the new pack), each drop
 * reported to `onDrop`; nothing throws. A pack the storage refuses (quota full) is kept in memory
 * for this visit and the refusal reported to `onError`. Its index of packs lives in memory, so
 * sizes, the bound and page exit need no storage read.
 * @example
 * const outbox = createDurableOutbox({ storage: chooseStorage(options, localStorage), lock, prefix: 'default:p:', maxBytes: 2 << 20, overflow: 'drop-oldest', onDrop, onError });
 * await outbox.scan();
 */
export function createDurableOutbox(options: DurableOutboxOptions): DurableOutbox {
  const { lock, prefix, journal, onError } = options;
  const entries = new Map<string, Entry>();
  let records = 0;
  let bytes = 0;
  let paused = false;
  let failing = false;
  const all = (): Entry[] => [...entries.values()];
  const current = (entry: Entry): boolean => entries.get(entry.pack.id) === entry;
  const add = (pack: QueuedPack, state: Entry['state']): Entry => {
    const entry: Entry = { pack, state };
    entries.set(pack.id, entry);
    records += pack.records.length;
    bytes += pack.bytes;
    options.onAdd?.(pack);
    return entry;
  };
  /** Forgets `entry` if it is still the one indexed under its id (delivered, dropped, cleared). */
  const forget = (entry: Entry): void => {
    if (!current(entry)) return;
    entries.delete(entry.pack.id);
    records -= entry.pack.records.length;
    bytes -= entry.pack.bytes;
    options.onForget?.(entry.pack.id);
  };
  const unlock = (entry: Entry): void => {
    const { release } = entry;
    entry.release = undefined;
    release?.();
  };
  /** Runs a storage step; a failure is reported, never thrown at delivery. */
  const guard = <T>(step: Promise<T>, fallback?: T): Promise<T | undefined> =>
    step.catch((error: unknown) => {
      onError(error);
      return fallback;
    });

  // Deletes, then releases: no other tab may lease a pack whose delete has not landed.
  const erase = async (entry: Entry): Promise<void> => {
    const key = prefix + entry.pack.id;
    const storage = await options.storage;
    if (entry.state !== 'memory') await guard(Promise.resolve(storage?.remove(key)));
    if (entry.journaled) await guard(Promise.resolve(journal?.remove(key)));
    unlock(entry);
  };

  const write = async (entry: Entry): Promise<void> => {
    const storage = await options.storage;
    const key = prefix + entry.pack.id;
    if (!storage || !current(entry)) {
      entry.state = 'memory';
      return;
    }
    try {
      await storage.set(key, storedPack(entry.pack));
      entry.state = 'saved';
      failing = false;
      // Cleared (opt-out) while the write was under way.
      if (!current(entry)) await storage.remove(key);
    } catch (error) {
      // Full (the host page's data, a tiny quota) or broken: the pack stays in memory, delivered
      // this visit but not after a reload; `maxBytes` still bounds it. Evicting stored packs to
      // make room would lose data this visit could still deliver. Reported once per failing spell.
      entry.state = 'memory';
      if (!failing) onError(error);
      failing = true;
    }
  };

  /** Takes `entry` for this tab, after checking storage that no other tab delivered it already. */
  const take = async (entry: Entry, now: number): Promise<boolean> => {
    entry.release = noop;
    // An unusable lock must not stop delivery: a duplicate is dropped by the bridge.
    const release = await guard(lock.acquire(entry.pack.id), noop);
    const storage = await options.storage;
    const latest = release && (storage ? await guard(storage.get(prefix + entry.pack.id), entry.pack) : entry.pack);
    entry.release = release;
    if (!release) entry.pack.notBefore = now + (options.busyMs ?? 1000);
    // Delivered by another tab (or cleared): nothing left to send.
    else if (!current(entry) || !isStoredPack(latest)) forget(entry);
    else {
      entry.pack = { ...latest, ...(entry.pack.meta ? { meta: entry.pack.meta } : {}) };
      if (latest.notBefore <= now) return true;
    }
    unlock(entry);
    return false;
  };

  return {
    name: 'durable',
    durable: true,
    async put(pack) {
      const erasing: Array<Promise<void>> = [];
      while (bytes + pack.bytes > options.maxBytes && options.overflow === 'drop-oldest') {
        let oldest: Entry | undefined;
        for (const entry of entries.values()) if (!entry.release && (!oldest || entry.pack.createdAt < oldest.pack.createdAt)) oldest = entry;
        if (!oldest) break;
        forget(oldest);
        options.onDrop({ reason: 'overflow', records: oldest.pack.records.length });
        erasing.push(erase(oldest));
      }
      if (bytes + pack.bytes > options.maxBytes && entries.size > 0) return options.onDrop({ reason: 'overflow', records: pack.records.length });
      // Synchronous up to here: page exit relies on a pack being known the moment it is put.
      const entry = add({ ...pack }, 'unsaved');
      await Promise.all(erasing);
      await write(entry);
    },
    async lease(now, limit) {
      const taken: QueuedPack[] = [];
      for (const entry of all()) {
        if (paused || taken.length >= limit) break;
        if (entry.release || entry.state === 'unsaved' || entry.pack.notBefore > now || !current(entry)) continue;
        if (entry.state === 'memory') entry.release = noop;
        else if (!(await take(entry, now))) continue;
        taken.push(entry.pack);
      }
      return taken;
    },
    async remove(ids) {
      for (const id of ids) {
        const entry = entries.get(id);
        if (!entry) continue;
        forget(entry);
        await erase(entry);
      }
    },
    async release(pack) {
      const entry = entries.get(pack.id);
      if (!entry) return;
      entry.pack = { ...pack };
      // Stored with its backoff, so other tabs and the next visit wait too.
      if (entry.state === 'saved') await guard(Promise.resolve((await options.storage)?.set(prefix + pack.id, storedPack(pack))));
      unlock(entry);
    },
    async takeAll() {
      const taken = all();
      for (const entry of taken) forget(entry);
      for (const store of [await options.storage, journal]) for (const name of (await store?.keys(prefix)) ?? []) await store?.remove(name);
      for (const entry of taken) entry.release?.();
      return taken.map((entry) => entry.pack);
    },
    size: () => ({ packs: entries.size, records, bytes }),
    nextDue() {
      let due: number | undefined;
      for (const { pack, release, state } of entries.values()) if (!release && state !== 'unsaved' && (due === undefined || pack.notBefore < due)) due = pack.notBefore;
      return paused ? undefined : due;
    },
    async scan() {
      const storage = await options.storage;
      if (!storage) return;
      const found = await readStoredPacks(storage, journal, prefix, (id) => entries.has(id));
      for (const pack of found) if (!entries.has(pack.id)) add(pack, 'saved');
      if (found.length > 0) options.onWake?.();
    },
    setPaused(value) {
      paused = value;
      if (value) return;
      for (const entry of entries.values()) if (!entry.release) entry.pack.notBefore = 0;
      options.onWake?.();
    },
    journal() {
      let written = 0;
      for (const entry of entries.values()) {
        if (entry.state !== 'unsaved' || entry.journaled || !journal) continue;
        try {
          entry.journaled = journal.setSync(prefix + entry.pack.id, storedPack(entry.pack));
          if (entry.journaled) written++;
        } catch (error) {
          onError(error);
        }
      }
      return written;
    },
    packs: () => all().map((entry) => entry.pack),
    delivered(ids) {
      for (const entry of ids.map((id) => entries.get(id))) if (entry && !entry.release) forget(entry);
    },
  };
}
