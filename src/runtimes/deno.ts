/**
 * `inlong-js/deno`: the root API (`TDAnalytics`, the consumers, `InLongApi`, codes, errors)
 * with Deno defaults: `LoggingConsumer` writes through `Deno.writeTextFile`, and
 * `createLocalStorageOutbox` keeps undelivered packs in Deno's `localStorage` across restarts.
 * Run with `--allow-net` (DataProxy, the Manager) and `--allow-write`/`--allow-read` for
 * `LoggingConsumer`'s directory.
 * @example
 * import { TDAnalytics, BatchConsumer } from 'inlong-js/deno';
 * const td = new TDAnalytics(new BatchConsumer({ dataproxyUrls: [Deno.env.get('DATAPROXY') ?? 'http://127.0.0.1:46802'], groupId: 'g', streamId: 's' }));
 * td.track({ distinctId: 'd1', event: 'signup' });
 * await td.close();
 */
import { createSystemClock } from '../adapters/clock/system-clock.js';
import { createDenoFileSystem, hasDenoFileSystem } from '../adapters/file/deno-fs.js';
import { createNodeFileSystem, hasNodeFileSystem } from '../adapters/file/node-fs.js';
import { LoggingConsumerCore, type LoggingConsumerOptions, type LoggingDeps } from '../analytics/logging-consumer.js';

export * from '../index.js';

/**
 * ThinkingData's `LoggingConsumer` writing through Deno's file API (`node:fs` where `Deno` is
 * absent, so the same code also runs on Node). Files: `<directory>/[prefix.]log.YYYY-MM-DD[-HH][_n]`.
 * @example
 * const td = new TDAnalytics(new LoggingConsumer({ directory: './logs', rotateHourly: true, fileSize: 64 }));
 * td.track({ distinctId: 'd1', event: 'login' });
 * await td.close();
 */
export class LoggingConsumer extends LoggingConsumerCore {
  constructor(options: LoggingConsumerOptions, deps: Partial<LoggingDeps> = {}) {
    const fs = deps.fs ?? (hasDenoFileSystem() ? createDenoFileSystem() : hasNodeFileSystem() ? createNodeFileSystem() : undefined);
    super(options, { clock: deps.clock ?? createSystemClock(), fs });
  }
}

export { createDenoFileSystem, hasDenoFileSystem, type DenoFileSystem, type DenoFileApi } from '../adapters/file/deno-fs.js';
export { createLocalStorageOutbox, hasLocalStorage, type LocalStorageOutboxOptions } from './deno/local-storage-outbox.js';
export type { Outbox, QueuedPack } from '../core/outbox.js';
