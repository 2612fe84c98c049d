import type { Clock, Pack } from './types.js';
import { utf8Length } from './utf8.js';

export interface BatcherOptions {
  clock: Clock;
  /** Most records in one pack. */
  packCount: number;
  /** Most wire bytes in one pack: `encode`'s length, or UTF-8 bytes without it. */
  packBytes: number;
  /** A pack is closed this long after its first record, in ms. */
  packTimeoutMs: number;
  /**
   * Wire form of one record (form encoding). When given, packs are sized by it, and each closed
   * pack carries the joined result as `wire`, so nothing is encoded twice.
   */
  encode?: (record: string) => string;
  /** Receives every closed pack. */
  onPack: (pack: Pack) => void;
}

export interface Batcher {
  /**
   * Adds a record already checked to fit in one pack. `encoded` (its `encode` result) and
   * `recordBytes` (its UTF-8 length) save work when the caller computed them already.
   */
  add(groupId: string, streamId: string, record: string, dt: number, meta?: unknown, encoded?: string, recordBytes?: number): void;
  /** Closes every open pack now. */
  flush(): void;
  /** Records and bytes held in open packs. */
  size(): { records: number; bytes: number };
  /** Stops timers without closing packs. */
  stop(): void;
}

interface OpenPack extends Pack {
  /** Form-encoded records, when `encode` is given. */
  parts: string[] | undefined;
  /** Wire bytes, separators included. */
  size: number;
  timer: unknown;
}

/**
 * Groups records per `(groupId, streamId)` into packs, closed by count, size or age — the C++
 * SDK's `pack_size` / `pack_timeout`. A record that contains `\n` travels in a pack of its own,
 * because DataProxy's convention joins records with `\n` and would split it.
 * @example const batcher = createBatcher({ clock, packCount: 500, packBytes: 60_000, packTimeoutMs: 3000, onPack });
 */
export function createBatcher(options: BatcherOptions): Batcher {
  const { clock, encode } = options;
  const open = new Map<string, OpenPack>();
  let heldRecords = 0;
  let heldBytes = 0;

  const close = (key: string): void => {
    const pack = open.get(key);
    if (!pack) return;
    open.delete(key);
    clock.clearTimeout(pack.timer);
    heldRecords -= pack.records.length;
    heldBytes -= pack.bytes;
    const { parts, size: _size, timer: _timer, meta, ...closed } = pack;
    options.onPack({ ...closed, ...(meta ? { meta } : {}), ...(parts ? { wire: parts.join('%0A') } : {}) });
  };

  const start = (key: string, groupId: string, streamId: string, dt: number, parts: string[] | undefined): OpenPack => {
    const pack: OpenPack = { id: clock.uuid(), groupId, streamId, records: [], dt, bytes: -1, attempts: 0, createdAt: clock.now(), parts, size: -3, timer: undefined };
    pack.timer = clock.setTimeout(() => close(key), options.packTimeoutMs);
    open.set(key, pack);
    heldBytes -= 1;
    return pack;
  };

  return {
    add(groupId, streamId, record, dt, meta, encoded, recordBytes) {
      // A record with `\n` closes at once in a pack of its own: no other key contains `\n`, and
      // that pack is closed before `add` returns.
      const alone = record.includes('\n');
      const key = alone ? '\n' : `${groupId}\u0000${streamId}`;
      const part = alone ? undefined : (encoded ?? encode?.(record));
      const utf8 = recordBytes ?? utf8Length(record);
      const wire = part?.length ?? utf8;
      let pack = open.get(key);
      // `+ 3`: the `%0A` separator a form-encoded join adds before every record but the first.
      if (pack && pack.size + 3 + wire > options.packBytes) {
        close(key);
        pack = undefined;
      }
      pack ??= start(key, groupId, streamId, dt, part === undefined ? undefined : []);
      const bytes = utf8 + 1;
      if (meta !== undefined) pack.meta ??= new Array<unknown>(pack.records.length);
      pack.meta?.push(meta);
      if (part !== undefined) pack.parts?.push(part);
      pack.records.push(record);
      pack.bytes += bytes;
      pack.size += wire + 3;
      heldRecords += 1;
      heldBytes += bytes;
      if (alone || pack.records.length >= options.packCount) close(key);
    },
    flush() {
      for (const key of [...open.keys()]) close(key);
    },
    size: () => ({ records: heldRecords, bytes: heldBytes }),
    stop() {
      for (const pack of open.values()) clock.clearTimeout(pack.timer);
    },
  };
}
