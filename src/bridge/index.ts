/**
 * `inlong-js/bridge`: the bridge as a web-standard fetch handler, for Cloudflare Workers, Deno and
 * Node alike. Nothing here imports a runtime module; the Node server and file sink are exported
 * from the CLI entry (`inlong-js/cli`), which is Node-only.
 */
export { createBridge, type Bridge } from './handler.js';
export {
  parseBridgeOptions,
  DEFAULT_TD_STREAM,
  type BridgeOptions,
  type BridgeConfig,
  type BridgeMode,
  type ManagerSettings,
  type RateLimitSettings,
  type ClientAddressResolver,
} from './options.js';
export { createMemorySink, createRecordRing, type MemorySinkOptions, type RecordRing } from './embedded-sink.js';
export { createDataProxySink, chunkRecords, type DataProxySinkOptions } from './forward.js';
export { OK_RESULT, type Sink, type SinkPack, type SinkResult, type SinkPage, type StoredRecord } from './sink.js';
export { RequestError, isRequestError } from './reply.js';
export type { BridgeStats } from './stats.js';
