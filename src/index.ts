/**
 * inlong-js: events into Apache InLong DataProxy from Node, Deno, Workers and browsers.
 * This entry works in every runtime with `fetch`; runtime presets live under `inlong-js/*`.
 */
import { InLongApiCore } from './sender/inlong-api.js';
import type { RuntimeDeps } from './sender/runtime-deps.js';
import { portableDeps } from './runtimes/portable.js';

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
export type { Clock, Transport, TransportRequest, TransportResponse, StorageAdapter, Compressor, Pack } from './core/types.js';
export type { PipelineStats } from './core/pipeline.js';
