import type { Clock } from './types.js';
import { normalizeObject, normalizeValue, checkName, report, type Issues } from './validate.js';
import { formatTime, isValidDate } from './time-format.js';
import type { ValidationError } from './errors/validation-error.js';

/** The ten ThinkingData record types (note the camel-case `user_setOnce`). */
export type RecordType =
  | 'track'
  | 'track_update'
  | 'track_overwrite'
  | 'user_set'
  | 'user_setOnce'
  | 'user_add'
  | 'user_unset'
  | 'user_append'
  | 'user_uniq_append'
  | 'user_del';

/** What a caller passes for one record (ThinkingData Node SDK naming). */
export interface EventInput {
  distinctId?: string;
  accountId?: string;
  /** Event name, required for track types. */
  event?: string;
  /** Required for `track_update` / `track_overwrite`. */
  eventId?: string;
  /** Dedup key of a first-time event (`trackFirst`). */
  firstCheckId?: string;
  properties?: Record<string, unknown>;
  /** `user_unset` takes property names instead of properties. */
  unsetNames?: string[];
  time?: Date | number;
  ip?: string;
  uuid?: string;
  appId?: string;
}

/** Everything about the client that shapes a record. */
export interface RecordContext {
  clock: Clock;
  strict: boolean;
  enableUuid: boolean;
  lib: string;
  libVersion: string;
  superProperties?: Record<string, unknown>;
  dynamicSuperProperties?: () => Record<string, unknown>;
}

/** A ThinkingData record, keys in the order they are serialised. */
export type TdRecord = Record<string, unknown> & { '#type': RecordType; '#time': string; properties: Record<string, unknown> };

export interface BuiltRecord {
  record: TdRecord;
  /** Problems found in lenient mode (strict mode throws the first instead). */
  issues: ValidationError[];
}

const TRACK_TYPES = new Set<RecordType>(['track', 'track_update', 'track_overwrite']);
/** Preset keys that ThinkingData moves from `properties` to the top level. */
const MOVED_UP = ['#ip', '#first_check_id', '#app_id', '#time', '#uuid'] as const;

/**
 * Builds one ThinkingData record: merges super properties for track types, moves preset keys
 * up, formats dates, adds `#uuid`, and validates (throwing in strict mode).
 * @example buildRecord('track', { distinctId: 'd1', event: 'buy', properties: { price: 3 } }, context)
 */
export function buildRecord(type: RecordType, input: EventInput, context: RecordContext): BuiltRecord {
  const issues: Issues = { strict: context.strict, found: [] };
  const isTrack = TRACK_TYPES.has(type);
  if (!input.distinctId && !input.accountId) report(issues, 'distinctId', 'distinctId or accountId is required');
  if (isTrack) checkName(issues, 'event', input.event);
  if ((type === 'track_update' || type === 'track_overwrite') && !input.eventId) {
    report(issues, 'eventId', `is required for ${type}`);
  }

  const properties = collectProperties(type, input, context, issues);
  const moved: Record<string, unknown> = {};
  for (const key of MOVED_UP) {
    if (key in properties) {
      moved[key] = properties[key];
      delete properties[key];
    }
  }

  const time = pickTime(input.time ?? moved['#time'], context.clock, issues);
  const record = { '#type': type, '#time': time } as TdRecord;
  setIf(record, '#distinct_id', input.distinctId);
  setIf(record, '#account_id', input.accountId);
  if (isTrack) setIf(record, '#event_name', input.event);
  setIf(record, '#event_id', input.eventId);
  setIf(record, '#first_check_id', input.firstCheckId ?? moved['#first_check_id']);
  const uuid = input.uuid ?? moved['#uuid'] ?? (context.enableUuid ? context.clock.uuid() : undefined);
  setIf(record, '#uuid', uuid);
  setIf(record, '#ip', input.ip ?? moved['#ip']);
  setIf(record, '#app_id', input.appId ?? moved['#app_id']);
  record.properties = properties;
  return { record, issues: issues.found };
}

function collectProperties(type: RecordType, input: EventInput, context: RecordContext, issues: Issues): Record<string, unknown> {
  if (type === 'user_del') return {};
  if (type === 'user_unset') return unsetProperties(input, issues);
  let merged: Record<string, unknown> = input.properties ?? {};
  if (TRACK_TYPES.has(type)) {
    const dynamic = evaluateDynamic(context, issues);
    merged = { '#lib': context.lib, '#lib_version': context.libVersion, ...context.superProperties, ...dynamic, ...merged };
  }
  const properties = normalizeObject(issues, '', merged);
  if (type === 'user_add') {
    for (const [key, value] of Object.entries(properties)) {
      if (typeof value !== 'number') report(issues, key, 'user_add values must be numbers');
    }
  }
  // `#time` stays a Date until it is moved up; normalising formatted it already.
  const rawTime = merged['#time'];
  if (rawTime !== undefined) properties['#time'] = rawTime;
  return properties;
}

function unsetProperties(input: EventInput, issues: Issues): Record<string, unknown> {
  const names = input.unsetNames ?? Object.keys(input.properties ?? {});
  const properties: Record<string, unknown> = {};
  for (const name of names) {
    checkName(issues, name, name);
    properties[name] = 0;
  }
  return properties;
}

function evaluateDynamic(context: RecordContext, issues: Issues): Record<string, unknown> {
  if (!context.dynamicSuperProperties) return {};
  try {
    const value = context.dynamicSuperProperties();
    if (value && typeof value === 'object') return value;
    report(issues, 'dynamicSuperProperties', 'must return an object');
  } catch (error) {
    if (issues.strict) throw error;
    report(issues, 'dynamicSuperProperties', `threw ${String(error)}`);
  }
  return {};
}

function pickTime(value: unknown, clock: Clock, issues: Issues): string {
  if (value === undefined) return formatTime(new Date(clock.now()));
  if (typeof value === 'number' && Number.isFinite(value)) return formatTime(new Date(value));
  if (isValidDate(value)) return formatTime(value);
  report(issues, '#time', 'must be a Date');
  const normalized = normalizeValue({ strict: false, found: [] }, '#time', value);
  return typeof normalized === 'string' ? normalized : formatTime(new Date(clock.now()));
}

function setIf(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined && value !== null && value !== '') target[key] = value;
}
