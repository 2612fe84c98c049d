/**
 * inlong-js: events into Apache InLong DataProxy from Node, Deno, Workers and browsers.
 * This entry works in every runtime with `fetch`; runtime presets live under `inlong-js/*`.
 */
import { InLongApiCore } from './sender/inlong-api.js';
import type { RuntimeDeps } from './sender/runtime-deps.js';
import { portableDeps } from './runtimes/portable.js';
import { createSystemClock } from './adapters/clock/system-clock.js';
import { createNodeFileSystem, hasNodeFileSystem } from './adapters/file/node-fs.js';
import {
  TDAnalyticsCore,
  BatchConsumerCore,
  AsyncBatchConsumerCore,
  DebugConsumerCore,
  LoggingConsumerCore,
  type Consumer,
  type TDAnalyticsOptions,
  type TDAnalyticsDeps,
  type BatchConsumerOptions,
  type AsyncBatchConsumerOptions,
  type DebugConsumerOptions,
  type LoggingConsumerOptions,
  type LoggingDeps,
} from './analytics/index.js';

/**
 * The InLong DataProxy SDK twin with this runtime's defaults (fetch, system clock, gzip).
 * @example
 * const api = new InLongApi();
 * await api.initApi({ dataproxyUrls: ['http://127.0.0.1:46802'] });
 * api.send('group', 'stream', 'hello');
 * await api.closeApi(5000);
 */
export class InLongApi extends InLongApiCore {
  constructor(deps: Partial<RuntimeDeps> = {}) {
    super(portableDeps(deps));
  }
}

export type { SendCallback } from './sender/inlong-api.js';
export type { RuntimeDeps } from './sender/runtime-deps.js';
export { SdkCode, sdkCodeName, DataProxyCode, type SdkCodeName, type SdkCodeValue } from './core/codes.js';
export { SENDER_OPTIONS, parseSenderConfig, type SenderConfig } from './core/config.js';
export { InLongError } from './core/errors/inlong-error.js';
export { ValidationError, isValidationError } from './core/errors/validation-error.js';
export { ConfigError, isConfigError } from './core/errors/config-error.js';
export { DeliveryError, isDeliveryError } from './core/errors/delivery-error.js';
export { NetworkError, isNetworkError } from './core/errors/network-error.js';
export type { Clock, Transport, TransportRequest, TransportResponse, StorageAdapter, Compressor, Pack, SocketConnector, ByteSocket, SocketHandlers } from './core/types.js';
export type { PipelineStats } from './core/pipeline.js';

/**
 * ThinkingData's server SDK API (`track`, `userSet`, …) over InLong, with the system clock.
 * @example
 * const td = new TDAnalytics(new BatchConsumer({ dataproxyUrls: ['http://127.0.0.1:46802'], groupId: 'g', streamId: 's' }));
 * td.track({ distinctId: 'd1', event: 'buy', properties: { price: 3 } });
 * await td.close();
 */
export class TDAnalytics extends TDAnalyticsCore {
  constructor(consumer: Consumer, options: TDAnalyticsOptions = {}, deps: Partial<TDAnalyticsDeps> = {}) {
    super(consumer, options, { clock: deps.clock ?? createSystemClock() });
  }
}

/**
 * ThinkingData's `BatchConsumer` with this runtime's defaults (fetch, system clock, gzip).
 * @example new BatchConsumer({ managerUrl, groupIds: ['g'], groupId: 'g', streamId: 's', batchSize: 100 })
 */
export class BatchConsumer extends BatchConsumerCore {
  constructor(options: BatchConsumerOptions, deps: Partial<RuntimeDeps> = {}) {
    super(options, portableDeps(deps));
  }
}

/**
 * ThinkingData's `AsyncBatchConsumer` with this runtime's defaults.
 * @example new AsyncBatchConsumer({ bridgeUrl: 'https://collect.example.com', groupId: 'g', streamId: 's', queueSize: 10_000 })
 */
export class AsyncBatchConsumer extends AsyncBatchConsumerCore {
  constructor(options: AsyncBatchConsumerOptions, deps: Partial<RuntimeDeps> = {}) {
    super(options, portableDeps(deps));
  }
}

/**
 * ThinkingData's `DebugConsumer` with this runtime's defaults; `flush()` rejects with a
 * `DebugDeliveryError` when a record failed.
 * @example new DebugConsumer({ dataproxyUrls: ['http://127.0.0.1:46802'], groupId: 'g', streamId: 's', dryRun: true })
 */
export class DebugConsumer extends DebugConsumerCore {
  constructor(options: DebugConsumerOptions, deps: Partial<RuntimeDeps> = {}) {
    super(options, portableDeps(deps));
  }
}

/**
 * ThinkingData's `LoggingConsumer` with `node:fs` where the runtime has it (Node, Deno); elsewhere
 * the constructor throws a `ConfigError`.
 * @example new LoggingConsumer({ directory: './logs', rotateHourly: true })
 */
export class LoggingConsumer extends LoggingConsumerCore {
  constructor(options: LoggingConsumerOptions, deps: Partial<LoggingDeps> = {}) {
    super(options, { clock: deps.clock ?? createSystemClock(), fs: deps.fs ?? (hasNodeFileSystem() ? createNodeFileSystem() : undefined) });
  }
}

export {
  TDAnalyticsCore,
  BatchConsumerCore,
  AsyncBatchConsumerCore,
  DebugConsumerCore,
  LoggingConsumerCore,
  DebugDeliveryError,
  isDebugDeliveryError,
  RecordRejectedError,
  isRecordRejectedError,
  LIB_VERSION,
} from './analytics/index.js';
export type {
  Consumer,
  ErrorListener,
  FileSystem,
  TDAnalyticsOptions,
  TDAnalyticsDeps,
  BatchConsumerOptions,
  AsyncBatchConsumerOptions,
  DebugConsumerOptions,
  LoggingConsumerOptions,
  LoggingDeps,
  SenderConsumerOptions,
  IdentityParams,
  TrackParams,
  TrackFirstParams,
  TrackUpdateParams,
  UserParams,
  UserUnsetParams,
  TdRecord,
  RecordType,
} from './analytics/index.js';
