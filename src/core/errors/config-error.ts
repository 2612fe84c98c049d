import { InLongError } from './inlong-error.js';

/** A configuration option is unknown or has a wrong value. Thrown at creation, never later. */
export class ConfigError extends InLongError {
  /** The option as the caller spelled it. */
  declare readonly option: string;

  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super('CONFIG', `config option "${option}": ${message}`, options);
    this.name = 'ConfigError';
    this.option = option;
  }
}

/** True for a `ConfigError`, also one from another copy of the package. */
export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof Error && error.name === 'ConfigError';
}
