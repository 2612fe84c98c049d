import { parseSenderConfig, type SenderConfig } from '../core/config.js';
import { SdkCode, sdkCodeName } from '../core/codes.js';
import { ConfigError } from '../core/errors/config-error.js';
import type { Pipeline } from '../core/pipeline.js';
import type { ErrorChannel, ErrorListener } from './consumer.js';
import { RecordRejectedError } from './record-rejected-error.js';

/**
 * What every DataProxy-bound consumer takes: the InLong sender config (the keys of
 * `parseSenderConfig`: `bridgeUrl`, `dataproxyUrls`, `managerUrl` + `groupIds`, …), the
 * `(groupId, streamId)` its records land in, and where asynchronous problems go.
 * @example const options: SenderConsumerOptions = { managerUrl, groupIds: ['g'], groupId: 'g', streamId: 's' };
 */
export interface SenderConsumerOptions extends Partial<SenderConfig> {
  groupId: string;
  streamId: string;
  /** Delivery failures and refused records, with the JSON lines they concern. */
  onError?: ErrorListener;
  /** How long `close()` waits for delivery, ms. Default 30000 (ThinkingData's request timeout). */
  closeTimeoutMs?: number;
}

const COMMON_KEYS = new Set(['groupId', 'streamId', 'onError', 'closeTimeoutMs']);

/**
 * The sender config of a consumer: its own (ThinkingData) keys are taken out, the rest goes
 * through `parseSenderConfig` (which rejects unknown keys), then `overrides` win.
 * @example consumerSenderConfig(options, ['batchSize'], { packCount: 20 })
 */
export function consumerSenderConfig(options: SenderConsumerOptions, ownKeys: readonly string[], overrides: Partial<SenderConfig>): SenderConfig {
  if (!options || typeof options !== 'object') throw new ConfigError('(root)', 'consumer options must be an object');
  for (const key of ['groupId', 'streamId'] as const) {
    const value: unknown = options[key];
    if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(key, 'is required: the InLong stream the records land in');
  }
  const own = new Set(ownKeys);
  const senderInput = Object.fromEntries(Object.entries(options).filter(([key, value]) => !COMMON_KEYS.has(key) && !own.has(key) && value !== undefined));
  return { ...parseSenderConfig(senderInput), ...overrides };
}

/**
 * A numeric option: `fallback` when absent, a `ConfigError` naming it when not a number or
 * below `min`, clamped to `max` (ThinkingData clamps `batch` to 200 rather than failing).
 * @example readNumber('batchSize', options.batchSize, 20, { min: 1, max: 200 })
 */
export function readNumber(key: string, value: unknown, fallback: number, limits: { min: number; max?: number }): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConfigError(key, `must be a number, got ${JSON.stringify(value)}`);
  if (value < limits.min) throw new ConfigError(key, `must be at least ${limits.min}, got ${value}`);
  return limits.max === undefined ? value : Math.min(value, limits.max);
}

/**
 * A boolean option: `fallback` when absent, a `ConfigError` naming it otherwise.
 * @example readBoolean('compress', options.compress, true)
 */
export function readBoolean(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(key, `must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Queues one JSON line; when the pipeline refuses it, reports a `RecordRejectedError` (with
 * the C++ `SdkCode` name) and returns it.
 * @example const refused = enqueueLine(pipeline, 'g', 's', line, errors);
 */
export function enqueueLine(pipeline: Pipeline, groupId: string, streamId: string, line: string, errors: ErrorChannel): RecordRejectedError | undefined {
  const code = pipeline.enqueue(groupId, streamId, line);
  if (code === SdkCode.kSuccess) return undefined;
  const name = sdkCodeName(code) ?? String(code);
  const error = new RecordRejectedError(name, `record refused by the sender: ${name} (${code})`, line);
  errors.emit(error, [line]);
  return error;
}

/**
 * The error every consumer reports for a record added after `close()`.
 * @example errors.emit(closedError(line), [line]);
 */
export function closedError(line: string): RecordRejectedError {
  return new RecordRejectedError('closed', 'the consumer is closed', line);
}

/**
 * Serialises a record for the wire; a value JSON cannot carry (a cycle, a BigInt that slipped
 * past validation) is reported instead of thrown at the caller.
 * @example const line = serialize(record, errors); if (line !== undefined) send(line);
 */
export function serialize(record: unknown, errors: ErrorChannel): string | undefined {
  try {
    return JSON.stringify(record);
  } catch (error) {
    errors.emit(error instanceof Error ? error : new Error(String(error)));
    return undefined;
  }
}
