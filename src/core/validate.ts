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

/**
 * Names already found valid. An app uses a few dozen property names over and over; a set lookup
 * is cheaper than the pattern. Bounded, so unbounded distinct names cannot grow it.
 */
const knownNames = new Set<string>();

/** True for a valid event or property name. */
export function isValidName(name: string): boolean {
  if (knownNames.has(name)) return true;
  if (!NAME_PATTERN.test(name)) return false;
  if (knownNames.size < 1024) knownNames.add(name);
  return true;
}

/** Reports `name` unless it is a valid event or property name. */
export function checkName(issues: Issues, key: string, name: unknown): void {
  if (typeof name !== 'string' || !isValidName(name)) report(issues, key, `${JSON.stringify(name)} is not a name: a letter or #, then letters, digits, _ (50 at most)`);
}

/**
 * A JSON-ready copy of one property value: dates formatted (also nested ones), `null` and
 * `undefined` dropped. Values JSON cannot carry (functions, symbols, bigints, non-finite
 * numbers) are reported and dropped, so a lenient record never carries `null` in their place.
 */
export function normalizeValue(issues: Issues, key: string, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  const type = typeof value;
  if (type === 'string' || type === 'boolean' || (type === 'number' && Number.isFinite(value))) return value;
  if (isValidDate(value)) return formatTime(value);
  if (Array.isArray(value)) {
    return value.map((item, index) => normalizeValue(issues, `${key}[${index}]`, item)).filter((item) => item !== undefined);
  }
  const prototype: unknown = type === 'object' && Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return normalizeInto(issues, {}, value as Record<string, unknown>, KEEP_ALL, key);
  report(issues, key, value instanceof Date ? 'is an invalid Date' : `unsupported value ${type === 'number' ? String(value) : type}`);
  return undefined;
}

/** Nothing set aside: nested objects keep every key. */
const KEEP_ALL: Record<string, unknown> = {};

/**
 * Normalises the properties of `source` into `target`. Top-level names (no `path`) are
 * checked against the name rule; nested object keys are free-form, as ThinkingData's object
 * properties allow. Several sources into one target behave as if spread into one object first
 * (a later source wins, a later `null` or `undefined` removes the key) without building that
 * object. Keys present in `aside` go there instead, raw (the presets a record moves up).
 * @example const properties = {}; normalizeInto(issues, properties, superProperties); normalizeInto(issues, properties, input);
 */
export function normalizeInto(issues: Issues, target: Record<string, unknown>, source: Record<string, unknown>, aside = KEEP_ALL, path?: string): Record<string, unknown> {
  for (const name in source) {
    if (!Object.hasOwn(source, name)) continue;
    const value = source[name];
    // Every key set aside is a preset, and presets start with `#`.
    if (name.charCodeAt(0) === 0x23 && Object.hasOwn(aside, name)) {
      aside[name] = value;
      continue;
    }
    const key = path === undefined ? name : `${path}.${name}`;
    // Lenient mode keeps a badly named property (as ThinkingData's SDKs do without strict):
    // the record is still delivered and the problem is reported.
    if (path === undefined) checkName(issues, key, name);
    const normalized = normalizeValue(issues, key, value);
    if (normalized !== undefined) target[name] = normalized;
    else if (name in target) delete target[name];
  }
  return target;
}
