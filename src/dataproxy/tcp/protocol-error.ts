import { InLongError } from '../../core/errors/inlong-error.js';

/**
 * A DataProxy TCP peer sent bytes that are not its protocol: a frame longer than any ack, a
 * msgType it never answers with, a wrong magic, lengths that disagree. The connection is dropped
 * (its bytes can no longer be trusted to line up with frames) and every pack waiting on it is
 * retried, on another node where there is one.
 */
export class TcpProtocolError extends InLongError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TCP_PROTOCOL', message, options);
    this.name = 'TcpProtocolError';
  }
}

/**
 * True for a `TcpProtocolError`, also one from another copy of the package.
 * @example if (isTcpProtocolError(error)) log(`dropped ${node}: ${error.message}`);
 */
export function isTcpProtocolError(error: unknown): error is TcpProtocolError {
  return error instanceof Error && error.name === 'TcpProtocolError';
}
