import type { Dedup } from './dedup.js';
import { inspectRecord } from './records.js';
import { OK_RESULT, type Sink, type SinkPack, type SinkResult } from './sink.js';
import type { StatsCounter } from './stats.js';

export interface Intake {
  /**
   * Prepares packs that passed validation (adds `#ip`, drops `#uuid` repeats), writes them to
   * the sink and answers one result per pack, in order. Uuids are remembered only for packs the
   * sink accepted, so a failed pack's retry is forwarded again rather than dropped.
   */
  accept(packs: readonly SinkPack[], clientIp: string | undefined): Promise<SinkResult[]>;
}

/** The sink failed as a whole (a bug or a broken disk): every pack is retryable (code 1, spec 1.7). */
const SINK_BROKEN = (detail: string): SinkResult => ({ code: '1', msg: `sink failed: ${detail}` });

/**
 * The one path every accepted record takes, whatever route it came in on.
 * @example const intake = createIntake({ sink: () => sink, dedup, stats, log: console.error }); await intake.accept(packs, '203.0.113.7');
 */
export function createIntake(options: { sink: () => Sink; dedup: Dedup; stats: StatsCounter; log?: (line: string) => void }): Intake {
  const { dedup, stats } = options;
  // uuids being written right now, with whether the write succeeded. A page-exit beacon and the
  // fetch it races (or two tabs) can bring the same record twice within milliseconds: the
  // second copy waits for the first one's outcome instead of being forwarded beside it.
  const inFlight = new Map<string, Promise<boolean>>();

  const waitForOthers = async (inspected: ReturnType<typeof inspectRecord>[][]): Promise<void> => {
    for (;;) {
      const pending = new Set<Promise<boolean>>();
      for (const records of inspected) {
        for (const record of records) {
          const other = record.uuid === undefined ? undefined : inFlight.get(record.uuid);
          if (other) pending.add(other);
        }
      }
      if (pending.size === 0) return;
      await Promise.all(pending);
    }
  };

  return {
    async accept(packs, clientIp) {
      stats.add('packs', packs.length);
      const inspected = packs.map((pack) => pack.records.map((record) => inspectRecord(record, clientIp)));
      await waitForOthers(inspected);
      const inRequest = new Set<string>();
      const prepared = packs.map((pack, index) => {
        const records: string[] = [];
        const uuids: string[] = [];
        for (const record of inspected[index] ?? []) {
          if (record.uuid !== undefined) {
            if (dedup.has(record.uuid) || inRequest.has(record.uuid)) {
              stats.add('deduped');
              continue;
            }
            inRequest.add(record.uuid);
            uuids.push(record.uuid);
          }
          records.push(record.text);
        }
        stats.add('records', pack.records.length);
        return { pack: { groupId: pack.groupId, streamId: pack.streamId, dt: pack.dt, records }, uuids };
      });
      const settled = new Map<string, (accepted: boolean) => void>();
      for (const uuid of inRequest) inFlight.set(uuid, new Promise<boolean>((resolve) => settled.set(uuid, resolve)));
      const settle = (uuids: readonly string[], accepted: boolean): void => {
        for (const uuid of uuids) {
          inFlight.delete(uuid);
          settled.get(uuid)?.(accepted);
          settled.delete(uuid);
        }
      };

      const toWrite = prepared.filter((entry) => entry.pack.records.length > 0);
      let written: SinkResult[] = [];
      if (toWrite.length > 0) {
        const sink = options.sink();
        try {
          written = await sink.write(toWrite.map((entry) => entry.pack));
        } catch (error) {
          const detail = error instanceof Error ? error.message : String(error);
          options.log?.(`sink ${sink.name} failed: ${detail}`);
          written = toWrite.map(() => SINK_BROKEN(detail));
        }
      }

      let next = 0;
      const results = prepared.map((entry) => {
        // Every record was a repeat of accepted data: the pack is delivered already.
        if (entry.pack.records.length === 0) return OK_RESULT;
        const result = written[next++] ?? SINK_BROKEN('no result for this pack');
        if (result.code === '0') {
          for (const uuid of entry.uuids) dedup.remember(uuid);
          stats.add('forwarded', entry.pack.records.length);
        } else {
          stats.add('failed', entry.pack.records.length);
        }
        settle(entry.uuids, result.code === '0');
        return result;
      });
      // Repeats settle with their first copy; anything left (an all-repeat pack) must not keep
      // other requests waiting.
      settle([...settled.keys()], false);
      return results;
    },
  };
}
