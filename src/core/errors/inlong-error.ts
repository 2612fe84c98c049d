/**
 * Base of every error the SDK throws or reports. `code` is stable and safe to branch on; `name`
 * identifies the subclass even across bundles, where `instanceof` can fail.
 */
export class InLongError extends Error {
  // `declare` fields (here and in the subclasses): the constructor assigns them, and a class
  // field would make an es2020 build emit a defineProperty call per field.
  declare readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InLongError';
    this.code = code;
  }
}
