export interface Dedup {
  /** True when `uuid` was accepted within the window. */
  has(uuid: string): boolean;
  /** Marks `uuid` as accepted now. Call only after the sink accepted it, so a failed write is retried, not dropped. */
  remember(uuid: string): void;
  size(): number;
}

export interface DedupOptions {
  windowMs: number;
  maxEntries: number;
  now: () => number;
}

/**
 * Remembers recently accepted `#uuid`s so a client's retry of data that did arrive (its reply
 * was lost) is dropped (design: "the bridge drops repeats it has seen recently"). A Map in
 * insertion order doubles as the expiry queue: expired entries leave from the front, and beyond
 * `maxEntries` the oldest leave early, so memory stays bounded under any load.
 * @example
 * const dedup = createDedup({ windowMs: 600_000, maxEntries: 100_000, now: Date.now });
 * dedup.remember('6f1c…'); dedup.has('6f1c…'); // true
 */
export function createDedup(options: DedupOptions): Dedup {
  const seen = new Map<string, number>();
  // Sweeps run every 256 inserts, or when full, and then make room for a tenth more: one
  // iterator per sweep instead of one per insert. `has` checks expiry, so a late sweep is harmless.
  const low = Math.floor(options.maxEntries * 0.9);
  let insertsSinceSweep = 0;

  const sweep = (now: number): void => {
    insertsSinceSweep = 0;
    const full = seen.size > options.maxEntries;
    for (const [uuid, expires] of seen) {
      if (expires > now && (!full || seen.size <= low)) break;
      seen.delete(uuid);
    }
  };

  return {
    has(uuid) {
      const expires = seen.get(uuid);
      return expires !== undefined && expires > options.now();
    },
    remember(uuid) {
      const now = options.now();
      // Delete first so a re-remembered uuid moves to the back of the queue.
      seen.delete(uuid);
      seen.set(uuid, now + options.windowMs);
      if (++insertsSinceSweep >= 256 || seen.size > options.maxEntries) sweep(now);
    },
    size: () => seen.size,
  };
}
