import { ValidationError } from './errors/validation-error.js';
import { formatTime, isValidDate } from './time-format.js';

/** ThinkingData's rule for event and property names (case-insensitive, at most 50 characters). */
const NAME_PATTERN = /^[#a-z][a-z0-9_]{0,49}$/i;

/** Collects what was wrong with one record; strict mode throws the first problem instead. */
export interface Issues {
  strict: boolean;
  found: ValidationError[];
}

/** Records a problem, or throws it in strict mode. */
export function report(issues: Issues, key: string, message: string): void {
  const error = new ValidationError(key, message);
  if (issues.strict) throw error;
  issues.found.push(error);
}

/** True for a valid event or property name. */
export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

export function checkName(issues: Issues, key: string, name: unknown): name is string {
  if (typeof name === 'string' && NAME_PATTERN.test(name)) return true;
  report(issues, key, `must match ${NAME_PATTERN.source} (letters, digits, _; at most 50), got ${JSON.stringify(name)}`);
  return false;
}

/**
 * A JSON-ready copy of one property value: dates formatted (also nested ones), `null` and
 * `undefined` dropped. Values JSON cannot carry (functions, symbols, bigints, non-finite
 * numbers) are reported and dropped, so a lenient record never carries `null` in their place.
 */
export function normalizeValue(issues: Issues, key: string, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    report(issues, key, `number must be finite, got ${value}`);
    return undefined;
  }
  if (value instanceof Date) {
    if (isValidDate(value)) return formatTime(value);
    report(issues, key, 'is an invalid Date');
    return undefined;
  }
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    value.forEach((item, index) => {
      const normalized = normalizeValue(issues, `${key}[${index}]`, item);
      if (normalized !== undefined) items.push(normalized);
    });
    return items;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    return normalizeObject(issues, key, value as Record<string, unknown>, false);
  }
  report(issues, key, `unsupported value type ${typeof value}`);
  return undefined;
}

/**
 * Normalises a properties object. Top-level names are checked against the name rule;
 * nested object keys are free-form, as ThinkingData's object properties allow.
 */
export function normalizeObject(
  issues: Issues,
  path: string,
  source: Record<string, unknown>,
  checkNames = true,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(source)) {
    const key = path ? `${path}.${name}` : name;
    // Lenient mode keeps a badly named property (as ThinkingData's SDKs do without strict):
    // the record is still delivered and the problem is reported.
    if (checkNames) checkName(issues, key, name);
    const normalized = normalizeValue(issues, key, value);
    if (normalized !== undefined) result[name] = normalized;
  }
  return result;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
