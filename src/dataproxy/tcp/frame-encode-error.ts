import { InLongError } from '../../core/errors/inlong-error.js';

/**
 * A pack that no msgType-7 frame can carry as DataProxy would read it: an id outside printable
 * ASCII or holding `&`/`=` (the attr is `groupId=..&streamId=..`, split on both; DataProxy also
 * copies the attr by its UTF-16 length, so non-ASCII corrupts it), an attr over 32,767 bytes,
 * no records, or more than 65,535 (`cnt` is a u16). Nothing of it is sent.
 */
export class FrameEncodeError extends InLongError {
  /** What cannot be carried: `groupId`, `streamId`, `attr` or `records`. */
  declare readonly field: string;

  /** `message` names the field itself. */
  constructor(field: string, message: string) {
    super('TCP_ENCODE', message);
    this.name = 'FrameEncodeError';
    this.field = field;
  }
}

/**
 * True for a `FrameEncodeError`, also one from another copy of the package.
 * @example if (isFrameEncodeError(error)) return SdkCode.kInvalidInput;
 */
export function isFrameEncodeError(error: unknown): error is FrameEncodeError {
  return error instanceof Error && error.name === 'FrameEncodeError';
}
