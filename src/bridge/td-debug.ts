import { isValidName } from '../core/validate.js';

/** One problem in a record, in the shape ThinkingData's debug receiver reports. */
export interface TdIssue {
  propertyName?: string;
  propertyValue?: unknown;
  errorReason: string;
}

const TYPES = new Set([
  'track', 'track_update', 'track_overwrite', 'user_set', 'user_setOnce', 'user_add', 'user_unset', 'user_append', 'user_uniq_append', 'user_del',
]);
const TRACK_TYPES = new Set(['track', 'track_update', 'track_overwrite']);
const TIME_PATTERN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,3})?$/;

/**
 * Checks one record against ThinkingData's rules (spec/thinkingdata.md "One record" and
 * "Validation"), for `/data_debug`: type, time format, an id, event name, property names and the
 * value types that some types demand.
 * @example validateTdRecord({ '#type': 'track', '#time': '2024-01-01 00:00:00.000', '#distinct_id': 'd' }) // [{ propertyName: '#event_name', ... }]
 */
export function validateTdRecord(value: unknown): TdIssue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ errorReason: 'data must be one JSON object' }];
  const record = value as Record<string, unknown>;
  const issues: TdIssue[] = [];
  const type = record['#type'];
  if (typeof type !== 'string' || !TYPES.has(type)) issues.push({ propertyName: '#type', propertyValue: type, errorReason: `#type must be one of ${[...TYPES].join(', ')}` });
  const time = record['#time'];
  if (typeof time !== 'string' || !TIME_PATTERN.test(time)) issues.push({ propertyName: '#time', propertyValue: time, errorReason: '#time must be "yyyy-MM-dd HH:mm:ss.SSS"' });
  if (!isNonEmptyString(record['#distinct_id']) && !isNonEmptyString(record['#account_id'])) {
    issues.push({ propertyName: '#distinct_id', errorReason: '#distinct_id or #account_id is required' });
  }
  if (typeof type === 'string' && TRACK_TYPES.has(type)) {
    const name = record['#event_name'];
    if (typeof name !== 'string' || !isValidName(name)) issues.push({ propertyName: '#event_name', propertyValue: name, errorReason: 'event name must match ^[#a-zA-Z][a-zA-Z0-9_]{0,49}$' });
  }
  if ((type === 'track_update' || type === 'track_overwrite') && !isNonEmptyString(record['#event_id'])) {
    issues.push({ propertyName: '#event_id', errorReason: `#event_id is required for ${type}` });
  }
  const properties = record.properties;
  if (properties === undefined) return issues;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    issues.push({ propertyName: 'properties', errorReason: 'properties must be an object' });
    return issues;
  }
  for (const [key, item] of Object.entries(properties as Record<string, unknown>)) {
    if (!isValidName(key)) issues.push({ propertyName: key, propertyValue: item, errorReason: 'property name must match ^[#a-zA-Z][a-zA-Z0-9_]{0,49}$' });
    else if (type === 'user_add' && typeof item !== 'number') issues.push({ propertyName: key, propertyValue: item, errorReason: 'user_add values must be numbers' });
    else if ((type === 'user_append' || type === 'user_uniq_append') && !Array.isArray(item)) {
      issues.push({ propertyName: key, propertyValue: item, errorReason: `${type} values must be arrays` });
    }
  }
  return issues;
}

/**
 * The `/data_debug` answer: `errorLevel` 0 when the record is fine, -1 with the reasons otherwise.
 * @example debugReply([]) // { errorLevel: 0 }
 */
export function debugReply(issues: readonly TdIssue[]): Record<string, unknown> {
  if (issues.length === 0) return { errorLevel: 0 };
  return {
    errorLevel: -1,
    errorCount: issues.length,
    errorReasons: issues.map((issue) => issue.errorReason),
    errorProperties: issues.filter((issue) => issue.propertyName !== undefined),
  };
}

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}
