import { InLongError } from './inlong-error.js';

/**
 * Records finally failed: a caller error DataProxy will never accept, retries exhausted, or the
 * client closed before they could be delivered. Passed to failure callbacks, never thrown at
 * `track()`/`send()`.
 */
export class DeliveryError extends InLongError {
  /** The DataProxy reply code, HTTP status (as `http:<status>`) or `network` that ended it. */
  declare readonly reason: string;
  /** True when retrying would not help (caller error). */
  declare readonly permanent: boolean;
  /** What the server (or the network layer) said, unprefixed: DataProxy's `msg`, for example. */
  declare readonly detail: string;

  constructor(reason: string, message: string, options: { permanent: boolean; detail?: string; cause?: unknown }) {
    super('DELIVERY', message, options);
    this.name = 'DeliveryError';
    this.reason = reason;
    this.permanent = options.permanent;
    this.detail = options.detail ?? message;
  }
}

/** True for a `DeliveryError`, also one from another copy of the package. */
export function isDeliveryError(error: unknown): error is DeliveryError {
  return error instanceof Error && error.name === 'DeliveryError';
}
