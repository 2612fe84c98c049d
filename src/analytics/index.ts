/**
 * ThinkingData-compatible analytics over InLong, runtime-free: every class here takes its
 * runtime (`RuntimeDeps`, a clock, a file system) as an argument. The root entry exports
 * subclasses with defaults (`TDAnalytics`, `BatchConsumer`, …).
 * @example
 * import { TDAnalyticsCore, BatchConsumerCore } from './analytics/index.js';
 * const td = new TDAnalyticsCore(new BatchConsumerCore({ dataproxyUrls: [url], groupId: 'g', streamId: 's' }, deps), {}, deps);
 */
export { TDAnalyticsCore, type TDAnalyticsOptions, type TDAnalyticsDeps } from './td-analytics.js';
export type { IdentityParams, TrackParams, TrackFirstParams, TrackUpdateParams, UserParams, UserUnsetParams } from './td-params.js';
export type { Consumer, ErrorListener } from './consumer.js';
export type { SenderConsumerOptions } from './consumer-sender.js';
export { BatchConsumerCore, type BatchConsumerOptions } from './batch-consumer.js';
export { AsyncBatchConsumerCore, type AsyncBatchConsumerOptions } from './async-batch-consumer.js';
export { DebugConsumerCore, type DebugConsumerOptions } from './debug-consumer.js';
export { LoggingConsumerCore, type LoggingConsumerOptions, type LoggingDeps, type FileSystem } from './logging-consumer.js';
export { DebugDeliveryError, isDebugDeliveryError } from './debug-delivery-error.js';
export { RecordRejectedError, isRecordRejectedError } from './record-rejected-error.js';
export { LIB_NAME, LIB_VERSION } from './version.js';
export type { TdRecord, RecordType } from '../core/record.js';
