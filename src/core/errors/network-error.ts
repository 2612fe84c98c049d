import { InLongError } from './inlong-error.js';

/**
 * No HTTP reply arrived: the connection was refused or reset, DNS failed, the request was aborted,
 * or it ran past its deadline. Always transient from the core's point of view, so delivery retries
 * it (on another node where there is one). A non-2xx status is a reply, never a `NetworkError`.
 */
export class NetworkError extends InLongError {
  /** True when our own deadline (`TransportRequest.timeoutMs`) ended the request. */
  declare readonly timedOut: boolean;

  constructor(message: string, options?: { timedOut?: boolean; cause?: unknown }) {
    super('NETWORK', message, options);
    this.name = 'NetworkError';
    this.timedOut = options?.timedOut ?? false;
  }
}

/** True for a `NetworkError`, also one from another copy of the package. */
export function isNetworkError(error: unknown): error is NetworkError {
  return error instanceof Error && error.name === 'NetworkError';
}
