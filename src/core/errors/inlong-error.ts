/**
 * Base of every error the SDK throws or reports. `code` is stable and safe to branch on; `name`
 * identifies the subclass even across bundles, where `instanceof` can fail.
 */
export class InLongError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InLongError';
    this.code = code;
  }
}
