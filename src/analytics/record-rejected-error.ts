import { InLongError } from '../core/errors/inlong-error.js';

/**
 * A consumer refused a record at once, so it was never queued: the queue is full
 * (`queueSize`), the buffer is full or the record too long (the C++ `SdkCode` name), or the
 * consumer is closed. Reported through `onError`; records accepted before are unaffected.
 */
export class RecordRejectedError extends InLongError {
  /** `queueSize`, `closed`, or the `SdkCode` name the pipeline answered (`kRecvBufferFull`, …). */
  readonly reason: string;
  /** The record as JSON text. */
  readonly record: string;

  constructor(reason: string, message: string, record: string) {
    super('RECORD_REJECTED', message);
    this.name = 'RecordRejectedError';
    this.reason = reason;
    this.record = record;
  }
}

/**
 * True for a `RecordRejectedError`, also one from another copy of the package.
 * @example onError: (error) => { if (isRecordRejectedError(error)) backOff(); }
 */
export function isRecordRejectedError(error: unknown): error is RecordRejectedError {
  return error instanceof Error && error.name === 'RecordRejectedError';
}
