import type { Clock } from './types.js';
import { normalizeInto, normalizeValue, checkName, report, type Issues } from './validate.js';
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

/** Preset keys that ThinkingData moves from `properties` to the top level, with their values. */
type MovedUp = Partial<Record<'#ip' | '#first_check_id' | '#app_id' | '#time' | '#uuid', unknown>>;

/**
 * Builds one ThinkingData record: merges super properties for track types, moves preset keys
 * up, formats dates, adds `#uuid`, and validates (throwing in strict mode).
 * @example buildRecord('track', { distinctId: 'd1', event: 'buy', properties: { price: 3 } }, context)
 */
export function buildRecord(type: RecordType, input: EventInput, context: RecordContext): BuiltRecord {
  const issues: Issues = { strict: context.strict, found: [] };
  const isTrack = type.startsWith('track');
  if (!input.distinctId && !input.accountId) report(issues, 'distinctId', 'distinctId or accountId is required');
  if (isTrack) checkName(issues, 'event', input.event);
  if (type !== 'track' && isTrack && !input.eventId) report(issues, 'eventId', `is required for ${type}`);

  const moved: MovedUp = { '#ip': undefined, '#first_check_id': undefined, '#app_id': undefined, '#time': undefined, '#uuid': undefined };
  const properties = collectProperties(type, input, context, issues, isTrack, moved);
  const record = { '#type': type, '#time': pickTime(input.time ?? moved['#time'], context.clock, issues) } as TdRecord;
  // Written one by one, in the order they are serialised; empty values are left out.
  put(record, '#distinct_id', input.distinctId);
  put(record, '#account_id', input.accountId);
  if (isTrack) put(record, '#event_name', input.event);
  put(record, '#event_id', input.eventId);
  put(record, '#first_check_id', input.firstCheckId ?? moved['#first_check_id']);
  put(record, '#uuid', input.uuid ?? moved['#uuid'] ?? (context.enableUuid ? context.clock.uuid() : undefined));
  put(record, '#ip', input.ip ?? moved['#ip']);
  put(record, '#app_id', input.appId ?? moved['#app_id']);
  record.properties = properties;
  return { record, issues: issues.found };
}

function put(record: TdRecord, key: string, value: unknown): void {
  if (value !== undefined && value !== null && value !== '') record[key] = value;
}

function collectProperties(type: RecordType, input: EventInput, context: RecordContext, issues: Issues, isTrack: boolean, moved: MovedUp): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  if (type === 'user_del') return properties;
  if (type === 'user_unset') {
    // `user_unset` sends `{ name: 0 }` per property name.
    for (const name of input.unsetNames ?? Object.keys(input.properties ?? {})) {
      checkName(issues, name, name);
      properties[name] = 0;
    }
    return properties;
  }
  // Merged source by source into one object (later sources win), never spread into a copy first:
  // this runs for every record.
  if (isTrack) {
    properties['#lib'] = context.lib;
    properties['#lib_version'] = context.libVersion;
    if (context.superProperties) normalizeInto(issues, properties, context.superProperties, moved);
    const dynamic = evaluateDynamic(context, issues);
    if (dynamic) normalizeInto(issues, properties, dynamic, moved);
  }
  if (input.properties) normalizeInto(issues, properties, input.properties, moved);
  if (type === 'user_add') {
    for (const key of Object.keys(properties)) if (typeof properties[key] !== 'number') report(issues, key, 'user_add values must be numbers');
  }
  return properties;
}

function evaluateDynamic(context: RecordContext, issues: Issues): Record<string, unknown> | undefined {
  if (!context.dynamicSuperProperties) return undefined;
  try {
    const value = context.dynamicSuperProperties();
    if (value && typeof value === 'object') return value;
    report(issues, 'dynamicSuperProperties', 'must return an object');
  } catch (error) {
    if (issues.strict) throw error;
    report(issues, 'dynamicSuperProperties', `threw ${String(error)}`);
  }
  return undefined;
}

function pickTime(value: unknown, clock: Clock, issues: Issues): string {
  if (value === undefined || (typeof value === 'number' && Number.isFinite(value))) return formatTime(new Date(value ?? clock.now()));
  if (isValidDate(value)) return formatTime(value);
  report(issues, '#time', 'must be a Date');
  const normalized = normalizeValue({ strict: false, found: [] }, '#time', value);
  return typeof normalized === 'string' ? normalized : formatTime(new Date(clock.now()));
}
