/**
 * `inlong-js/browser`: ThinkingData's web SDK API over InLong, with a durable outbox shared by
 * tabs (IndexedDB → localStorage → memory), page-exit beacons, offline pauses and retries that
 * never give up. Importing does nothing until `InLong.init(...)`.
 * @example
 * import { InLong } from 'inlong-js/browser';
 * InLong.init({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' });
 * InLong.track('view_page', { section: 'news' });
 */
import { createFetchTransport } from '../adapters/transport/fetch.js';
import { createBrowserClient as createClient } from './browser/client.js';
import type { BrowserOptions } from './browser/options.js';
import { createInLong as createRoot, type InLongRoot } from './browser/root.js';
import type { BrowserClient } from './browser/types.js';

/**
 * A fresh, independent `InLong` root (tests, micro-frontends); sends through ky.
 * @example const InLong = createInLong(); InLong.init({ serverUrl, groupId, streamId });
 */
export const createInLong = (): InLongRoot => createRoot(createFetchTransport);

/**
 * One client without a root; sends through ky unless `transport` is given.
 * @example const client = createBrowserClient({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' });
 */
export const createBrowserClient = (options: BrowserOptions): BrowserClient => createClient(options, createFetchTransport);

/**
 * The shared root for ESM users.
 * @example InLong.init({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' });
 */
export const InLong: InLongRoot = /* @__PURE__ */ createInLong();

export { CLIENT_METHODS, type InLongRoot } from './browser/root.js';
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
