/** Counters served at `GET /inlong/stats`. */
export interface BridgeStats {
  /** Requests received (all routes). */
  requests: number;
  /** Packs accepted for writing (after validation). */
  packs: number;
  /** Records in those packs (before dedup). */
  records: number;
  /** Records the sink accepted (DataProxy answered 0, or the embedded sink stored them). */
  forwarded: number;
  /** Records the sink did not accept (the client was told to retry or that they failed). */
  failed: number;
  /** Records dropped as `#uuid` repeats. */
  deduped: number;
  /** Refused requests by reason (`unknown_stream`, `bad_gzip`, `rate_limited`, ...). */
  rejected: Record<string, number>;
}

export interface StatsCounter {
  add(name: Exclude<keyof BridgeStats, 'rejected'>, amount?: number): void;
  reject(reason: string): void;
  snapshot(): BridgeStats;
}

/**
 * Plain counters; a snapshot is a copy, safe to serialise.
 * @example const stats = createStats(); stats.add('requests'); stats.reject('bad_json'); stats.snapshot();
 */
export function createStats(): StatsCounter {
  const counts: BridgeStats = { requests: 0, packs: 0, records: 0, forwarded: 0, failed: 0, deduped: 0, rejected: {} };
  return {
    add(name, amount = 1) {
      counts[name] += amount;
    },
    reject(reason) {
      counts.rejected[reason] = (counts.rejected[reason] ?? 0) + 1;
    },
    snapshot: () => ({ ...counts, rejected: { ...counts.rejected } }),
  };
}
