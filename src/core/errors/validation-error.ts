import { InLongError } from './inlong-error.js';

/**
 * A record broke ThinkingData's rules (name pattern, value type, missing id). Thrown in strict
 * mode; reported through `onError` otherwise.
 */
export class ValidationError extends InLongError {
  /** The property name, event name or field that is wrong. */
  declare readonly key: string;

  constructor(key: string, message: string, options?: { cause?: unknown }) {
    super('VALIDATION', `${key}: ${message}`, options);
    this.name = 'ValidationError';
    this.key = key;
  }
}

/** True for a `ValidationError`, also one from another copy of the package. */
export function isValidationError(error: unknown): error is ValidationError {
  return error instanceof Error && error.name === 'ValidationError';
}
