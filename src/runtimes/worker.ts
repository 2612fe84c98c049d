/**
 * `inlong-js/worker`: Cloudflare Workers. `withInLong` wraps a Worker's `export default
 * { fetch }`, hands the handler per-request clients and flushes them in `ctx.waitUntil`.
 *
 * This entry imports nothing that needs `nodejs_compat`: no `node:*` module is reachable
 * from it, so a wrangler build needs no compatibility flag.
 * @example
 * import { withInLong } from 'inlong-js/worker';
 * export default withInLong({
 *   async fetch(request, env, ctx, inlong) {
 *     inlong.track('hello');
 *     return new Response('hi');
 *   },
 * });
 */
export { withInLong, type InLongHandler, type WithInLongHandler, type WorkerExecutionContext } from './worker/with-inlong.js';
export type { InLongRequestClient } from './worker/request-client.js';
export type { WithInLongOptions } from './worker/settings.js';
export type { InLongEnv } from './worker/env-config.js';
export type { RequestEventOptions } from './worker/request-event.js';
export { TDAnalyticsCore } from '../analytics/td-analytics.js';
export { InLongApiCore } from '../sender/inlong-api.js';
export { SdkCode, sdkCodeName } from '../core/codes.js';
export { ConfigError, isConfigError } from '../core/errors/config-error.js';
export { DeliveryError, isDeliveryError } from '../core/errors/delivery-error.js';
export { ValidationError, isValidationError } from '../core/errors/validation-error.js';
export { RecordRejectedError, isRecordRejectedError } from '../analytics/record-rejected-error.js';
export type { SenderConfig } from '../core/config.js';
export type { ErrorListener } from '../analytics/consumer.js';
export type { TrackParams, UserParams, IdentityParams } from '../analytics/td-params.js';
