import { DeliveryError } from '../core/errors/delivery-error.js';

/**
 * One record a `DebugConsumer` could not deliver, with what the server said about it. It is a
 * `DeliveryError` (`instanceof` holds; `reason` and `permanent` are kept) with the DataProxy
 * reply split out, so a caller can branch on the number rather than parse a message.
 * @example
 * try { await td.flush(); } catch (error) {
 *   if (isDebugDeliveryError(error) && error.serverCode === 115) console.error('no topic for this stream');
 * }
 */
export class DebugDeliveryError extends DeliveryError {
  /** The DataProxy reply code (115 = topic not configured, 100 = blank groupId, …); undefined for HTTP or network failures. */
  readonly serverCode: number | undefined;
  /** The server's `msg`, or the HTTP/network failure text. */
  readonly serverMessage: string;
  /** The record as JSON text. */
  readonly record: string;

  constructor(failure: DeliveryError, record: string) {
    super(failure.reason, failure.message, { permanent: failure.permanent, detail: failure.detail, cause: failure });
    this.name = 'DebugDeliveryError';
    this.serverCode = /^-?\d+$/.test(failure.reason) ? Number(failure.reason) : undefined;
    this.serverMessage = failure.detail;
    this.record = record;
  }
}

/**
 * True for a `DebugDeliveryError`, also one from another copy of the package.
 * @example if (isDebugDeliveryError(error)) console.log(error.serverCode, error.serverMessage);
 */
export function isDebugDeliveryError(error: unknown): error is DebugDeliveryError {
  return error instanceof Error && error.name === 'DebugDeliveryError';
}
