import { OK_RESULT, type Sink, type SinkPack, type SinkPage, type StoredRecord } from './sink.js';

export type { Sink, SinkPack, SinkResult, SinkPage, StoredRecord } from './sink.js';

/** A bounded, seq-ordered window of the newest stored records. */
export interface RecordRing {
  push(record: StoredRecord): void;
  /** Records with `seq > after` still in the window, at most `limit`. */
  after(after: number, limit: number): StoredRecord[];
  /** Lowest `seq` still held, or `undefined` when empty. */
  firstSeq(): number | undefined;
  size(): number;
}

/**
 * A ring of at most `capacity` records: the oldest fall out, so memory stays bounded however
 * long the playground runs.
 * @example const ring = createRecordRing(1000); ring.push(stored); ring.after(0, 100);
 */
export function createRecordRing(capacity: number): RecordRing {
  const slots: StoredRecord[] = [];
  let start = 0;
  const at = (index: number): StoredRecord | undefined => slots[(start + index) % capacity];
  return {
    push(record) {
      if (slots.length < capacity) slots.push(record);
      else {
        slots[start] = record;
        start = (start + 1) % capacity;
      }
    },
    after(after, limit) {
      // Records are seq-ordered: binary search the first one past `after`.
      let low = 0;
      let high = slots.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if ((at(middle)?.seq ?? Infinity) <= after) low = middle + 1;
        else high = middle;
      }
      const page: StoredRecord[] = [];
      for (let index = low; index < slots.length && page.length < limit; index++) {
        const record = at(index);
        if (record) page.push(record);
      }
      return page;
    },
    firstSeq: () => at(0)?.seq,
    size: () => slots.length,
  };
}

/**
 * Numbers the records of `packs` from `nextSeq` on, stamped with `at`.
 * @example toStoredRecords([{ groupId: 'g', streamId: 's', dt: 1, records: ['a'] }], 1, Date.now())
 */
export function toStoredRecords(packs: readonly SinkPack[], nextSeq: number, at: number): StoredRecord[] {
  const stored: StoredRecord[] = [];
  let seq = nextSeq;
  for (const pack of packs) {
    for (const record of pack.records) {
      stored.push({ seq: seq++, groupId: pack.groupId, streamId: pack.streamId, dt: pack.dt, at, record });
    }
  }
  return stored;
}

export interface MemorySinkOptions {
  /** Newest records kept; default 10,000. */
  maxRecords?: number;
  /** Receive-time source; default `Date.now`. */
  now?: () => number;
}

/**
 * The embedded sink: keeps the newest records in memory, readable back by sequence number
 * (`GET /inlong/records?after=<seq>`). Every write succeeds.
 * @example
 * const sink = createMemorySink({ maxRecords: 100 });
 * await sink.write([{ groupId: 'g', streamId: 's', dt: Date.now(), records: ['{"a":1}'] }]);
 * (await sink.read(0, 10)).records[0].record; // '{"a":1}'
 */
export function createMemorySink(options: MemorySinkOptions = {}): Sink & Required<Pick<Sink, 'read'>> {
  const ring = createRecordRing(Math.max(1, options.maxRecords ?? 10_000));
  const now = options.now ?? Date.now;
  let nextSeq = 1;
  return {
    name: 'memory',
    description: 'embedded sink in memory',
    async write(packs) {
      for (const record of toStoredRecords(packs, nextSeq, now())) {
        ring.push(record);
        nextSeq = record.seq + 1;
      }
      return packs.map(() => OK_RESULT);
    },
    async read(after, limit): Promise<SinkPage> {
      const records = ring.after(after, limit);
      return { records, next: records.at(-1)?.seq ?? Math.max(after, 0) };
    },
  };
}
