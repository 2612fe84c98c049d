import type { Clock, Pack } from './types.js';
import { utf8Length } from './utf8.js';

export interface BatcherOptions {
  clock: Clock;
  /** Most records in one pack. */
  packCount: number;
  /** Most bytes in one pack, as `measure` counts them. */
  packBytes: number;
  /** A pack is closed this long after its first record, in ms. */
  packTimeoutMs: number;
  /** Wire size of one record inside a pack (without its separator). Default: UTF-8 bytes. */
  measure?: (record: string) => number;
  /**
   * Wire form of one record (form encoding). When given, it is the measure, and each closed
   * pack carries the joined result as `wire`, so nothing is encoded twice.
   */
  encode?: (record: string) => string;
  /** Receives every closed pack. */
  onPack: (pack: Pack) => void;
}

export interface Batcher {
  /** Adds a record already checked to fit in one pack. */
  add(groupId: string, streamId: string, record: string, dt: number, meta?: unknown, encoded?: string): void;
  /** Closes every open pack now. */
  flush(): void;
  /** Records and bytes held in open packs. */
  size(): { records: number; bytes: number };
  /** Stops timers without closing packs. */
  stop(): void;
}

interface OpenPack {
  groupId: string;
  streamId: string;
  records: string[];
  parts: string[] | undefined;
  meta: unknown[] | undefined;
  dt: number;
  bytes: number;
  wireBytes: number;
  createdAt: number;
  timer: unknown;
}

/**
 * Groups records per `(groupId, streamId)` into packs, closed by count, size or age — the C++
 * SDK's `pack_size` / `pack_timeout`. A record that contains `\n` travels in a pack of its own,
 * because DataProxy's convention joins records with `\n` and would split it.
 * @example const batcher = createBatcher({ clock, packCount: 500, packBytes: 60_000, packTimeoutMs: 3000, onPack });
 */
export function createBatcher(options: BatcherOptions): Batcher {
  const { clock } = options;
  const { encode } = options;
  const measure = options.measure ?? utf8Length;
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
    options.onPack({
      id: clock.uuid(),
      groupId: pack.groupId,
      streamId: pack.streamId,
      records: pack.records,
      ...(pack.meta ? { meta: pack.meta } : {}),
      ...(pack.parts ? { wire: pack.parts.join('%0A') } : {}),
      dt: pack.dt,
      bytes: pack.bytes,
      attempts: 0,
      createdAt: pack.createdAt,
    });
  };

  const emitAlone = (groupId: string, streamId: string, record: string, dt: number, meta: unknown): void => {
    const extra = meta === undefined ? {} : { meta: [meta] };
    options.onPack({ id: clock.uuid(), groupId, streamId, records: [record], ...extra, dt, bytes: utf8Length(record), attempts: 0, createdAt: clock.now() });
  };

  return {
    add(groupId, streamId, record, dt, meta, encoded) {
      if (record.includes('\n')) {
        emitAlone(groupId, streamId, record, dt, meta);
        return;
      }
      const key = `${groupId}\u0000${streamId}`;
      const part = encoded ?? encode?.(record);
      const wire = part === undefined ? measure(record) : part.length;
      let pack = open.get(key);
      // `+ 3`: the `%0A` separator a form-encoded join adds before every record but the first.
      if (pack && pack.wireBytes + 3 + wire > options.packBytes) {
        close(key);
        pack = undefined;
      }
      if (!pack) {
        const now = clock.now();
        pack = { groupId, streamId, records: [], parts: part === undefined ? undefined : [], meta: undefined, dt, bytes: 0, wireBytes: 0, createdAt: now, timer: undefined };
        pack.timer = clock.setTimeout(() => close(key), options.packTimeoutMs);
        open.set(key, pack);
      } else {
        pack.wireBytes += 3;
        pack.bytes += 1;
        heldBytes += 1;
      }
      const bytes = utf8Length(record);
      if (meta !== undefined) {
        pack.meta ??= new Array<unknown>(pack.records.length);
      }
      pack.meta?.push(meta);
      if (part !== undefined) pack.parts?.push(part);
      pack.records.push(record);
      pack.bytes += bytes;
      pack.wireBytes += wire;
      heldRecords += 1;
      heldBytes += bytes;
      if (pack.records.length >= options.packCount) close(key);
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
