/**
 * `inlong-js/browser`: ThinkingData's web SDK API over InLong, with a durable outbox shared by
 * tabs (IndexedDB → localStorage → memory), page-exit beacons, offline pauses and retries that
 * never give up. Importing does nothing until `InLong.init(...)`.
 * @example
 * import { InLong } from 'inlong-js/browser';
 * InLong.init({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' });
 * InLong.track('view_page', { section: 'news' });
 */
import { createInLong, type InLongRoot } from './browser/root.js';

/**
 * The shared root for ESM users.
 * @example InLong.init({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' });
 */
export const InLong: InLongRoot = /* @__PURE__ */ createInLong();

export { CLIENT_METHODS, createInLong, type InLongRoot } from './browser/root.js';
export { createBrowserClient } from './browser/client.js';
export type { BrowserClient, SpecialEvent, Properties, BrowserStats, BrowserEvent, DurableOutbox, DurableOutboxOptions } from './browser/types.js';
export type { BrowserOptions, BrowserGlobals, DropInfo } from './browser/options.js';
export { createDurableOutbox } from './browser/durable-outbox.js';
export { createWebLock, createStorageLease, type TabLock } from './browser/tab-lock.js';
export { INLONG_SNIPPET } from './browser/snippet.js';
export { browserPresets } from './browser/presets.js';
export { SdkCode, DataProxyCode } from '../core/codes.js';
export { ConfigError, isConfigError } from '../core/errors/config-error.js';
export { ValidationError, isValidationError } from '../core/errors/validation-error.js';
export { DeliveryError, isDeliveryError } from '../core/errors/delivery-error.js';
export { StorageQuotaError, isStorageQuotaError } from '../core/errors/storage-quota-error.js';
