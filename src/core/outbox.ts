import type { Pack } from './types.js';

/** A pack waiting in an outbox, with when it may be tried next. */
export interface QueuedPack extends Pack {
  /** Not before this time (ms since the epoch); 0 = now. */
  notBefore: number;
}

/**
 * Where packs wait between being formed and being acknowledged. The memory outbox below serves
 * servers and tests; the browser runtime plugs in a durable one with the same shape.
 */
export interface Outbox {
  readonly name: string;
  /** True when packs survive a restart, so closing must not report them as failed. */
  readonly durable: boolean;
  /** Adds a pack; resolves once it is stored. */
  put(pack: QueuedPack): Promise<void>;
  /** Up to `limit` packs due at `now`, leased to the caller until removed or released. */
  lease(now: number, limit: number): Promise<QueuedPack[]>;
  /** Packs acknowledged or finally failed. */
  remove(ids: readonly string[]): Promise<void>;
  /** A leased pack goes back for another attempt at `pack.notBefore`. */
  release(pack: QueuedPack): Promise<void>;
  /** Removes and returns every pack, leased or not (closing a non-durable outbox). */
  takeAll(): Promise<QueuedPack[]>;
  /** Every pack not yet removed, leased or not. */
  size(): { packs: number; records: number; bytes: number };
  /** The earliest `notBefore` among packs not leased, for scheduling the next attempt. */
  nextDue(): number | undefined;
}

/**
 * An outbox in memory, FIFO by arrival.
 * @example const outbox = createMemoryOutbox();
 */
export function createMemoryOutbox(): Outbox {
  const waiting = new Map<string, QueuedPack>();
  const leased = new Map<string, QueuedPack>();
  let records = 0;
  let bytes = 0;

  return {
    name: 'memory',
    durable: false,
    async put(pack) {
      // Putting a pack again replaces it (a durable wrapper may restore one already counted).
      const previous = waiting.get(pack.id) ?? leased.get(pack.id);
      if (previous) {
        leased.delete(pack.id);
        records -= previous.records.length;
        bytes -= previous.bytes;
      }
      waiting.set(pack.id, pack);
      records += pack.records.length;
      bytes += pack.bytes;
    },
    async lease(now, limit) {
      const taken: QueuedPack[] = [];
      for (const pack of waiting.values()) {
        if (taken.length >= limit) break;
        if (pack.notBefore > now) continue;
        taken.push(pack);
      }
      for (const pack of taken) {
        waiting.delete(pack.id);
        leased.set(pack.id, pack);
      }
      return taken;
    },
    async remove(ids) {
      for (const id of ids) {
        const pack = leased.get(id) ?? waiting.get(id);
        if (!pack) continue;
        leased.delete(id);
        waiting.delete(id);
        records -= pack.records.length;
        bytes -= pack.bytes;
      }
    },
    async release(pack) {
      if (!leased.delete(pack.id)) return;
      waiting.set(pack.id, pack);
    },
    async takeAll() {
      const all = [...leased.values(), ...waiting.values()];
      leased.clear();
      waiting.clear();
      records = 0;
      bytes = 0;
      return all;
    },
    size: () => ({ packs: waiting.size + leased.size, records, bytes }),
    nextDue() {
      let earliest: number | undefined;
      for (const pack of waiting.values()) {
        if (earliest === undefined || pack.notBefore < earliest) earliest = pack.notBefore;
        // Most waiting packs are due at once (notBefore 0): nothing can be earlier.
        if (earliest <= 0) break;
      }
      return earliest;
    },
  };
}
