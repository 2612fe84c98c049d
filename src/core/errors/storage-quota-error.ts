import { InLongError } from './inlong-error.js';

/**
 * A storage adapter refused a write because the runtime's quota is full (or, for the memory
 * adapter, its `maxBytes` budget). The outbox reacts by evicting or by keeping records in memory;
 * the runtime's own error is kept as `cause`.
 */
export class StorageQuotaError extends InLongError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORAGE_QUOTA', message, options);
    this.name = 'StorageQuotaError';
  }
}

/** True for a `StorageQuotaError`, also one from another copy of the package. */
export function isStorageQuotaError(error: unknown): error is StorageQuotaError {
  return error instanceof Error && error.name === 'StorageQuotaError';
}

/**
 * True when `error` is a runtime's native "storage full" error: `QuotaExceededError` (legacy code
 * 22), thrown by a Web Storage `setItem` and set as an aborted IndexedDB transaction's `error`.
 * Checked by name and code rather than `instanceof DOMException`, so it also works for errors
 * from another realm (iframes) and in runtimes without `DOMException`.
 *
 * @example
 * try { storage.setItem(key, text); } catch (error) {
 *   if (isQuotaExceededError(error)) throw new StorageQuotaError('full', { cause: error });
 *   throw error;
 * }
 */
export function isQuotaExceededError(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || code === 22;
}
