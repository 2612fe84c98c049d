import type { Clock } from '../core/types.js';
import { buildRecord, type EventInput, type RecordContext, type RecordType } from '../core/record.js';
import { normalizeInto } from '../core/validate.js';
import { ValidationError } from '../core/errors/validation-error.js';
import type { Consumer } from './consumer.js';
import type { IdentityParams, TrackFirstParams, TrackParams, TrackUpdateParams, UserParams, UserUnsetParams } from './td-params.js';
import { LIB_NAME, LIB_VERSION } from './version.js';

/**
 * Options of {@link TDAnalyticsCore}.
 * @example const options: TDAnalyticsOptions = { strict: true, onError: (error) => console.warn(error) };
 */
export interface TDAnalyticsOptions {
  /** Add a random `#uuid` to every record (the server's dedup key). Default true. */
  enableUuid?: boolean;
  /** Throw a `ValidationError` naming the key at the call. Default false; a `DebugConsumer` forces it. */
  strict?: boolean;
  /** Validation problems (lenient mode) and the consumer's delivery problems. */
  onError?: (error: Error) => void;
}

/**
 * What {@link TDAnalyticsCore} gets from its runtime: `#time` and `#uuid` come from this clock.
 * @example const deps: TDAnalyticsDeps = { clock: createSystemClock() };
 */
export interface TDAnalyticsDeps {
  clock: Clock;
}

/**
 * ThinkingData's server SDK API (Node SDK naming) over InLong: each call builds one record and
 * hands it to the consumer. Lenient (default): a call never throws; problems go to `onError` and
 * the record is still sent. Strict: the call throws a `ValidationError` whose `key` names the
 * offending field, and nothing is sent.
 * @example
 * const td = new TDAnalyticsCore(consumer, { onError: console.error }, { clock });
 * td.setSuperProperties({ channel: 'web' });
 * td.track({ distinctId: 'd1', event: 'buy', properties: { price: 3 } });
 * td.userSet({ accountId: 'a1', properties: { name: 'Ann' } });
 * await td.close();
 */
export class TDAnalyticsCore {
  readonly #consumer: Consumer;
  readonly #clock: Clock;
  readonly #strict: boolean;
  readonly #enableUuid: boolean;
  readonly #onError: ((error: Error) => void) | undefined;
  #superProperties: Record<string, unknown> = {};
  #dynamicSuperProperties: (() => Record<string, unknown>) | undefined;
  /** The record context, built once and again only when super properties change. */
  #context: RecordContext | undefined;

  constructor(consumer: Consumer, options: TDAnalyticsOptions, deps: TDAnalyticsDeps) {
    this.#consumer = consumer;
    this.#clock = deps.clock;
    this.#strict = consumer.strict === true || options.strict === true;
    this.#enableUuid = options.enableUuid ?? true;
    this.#onError = options.onError;
    const onError = options.onError;
    if (onError) consumer.addErrorListener?.((error) => onError(error));
  }

  /** True when calls throw on invalid input. */
  get strict(): boolean {
    return this.#strict;
  }

  track(params: TrackParams): void {
    this.#send('track', params);
  }

  /** A `track` record with `#first_check_id` (default: `distinctId ?? accountId`). */
  trackFirst(params: TrackFirstParams): void {
    const fromProperties = params.properties !== undefined && '#first_check_id' in params.properties;
    const firstCheckId = params.firstCheckId ?? (fromProperties ? undefined : (params.distinctId ?? params.accountId));
    this.#send('track', { ...params, firstCheckId });
  }

  trackUpdate(params: TrackUpdateParams): void {
    this.#send('track_update', params);
  }

  trackOverwrite(params: TrackUpdateParams): void {
    this.#send('track_overwrite', params);
  }

  /** The Node SDK's spelling of {@link trackOverwrite}. */
  trackOverWrite(params: TrackUpdateParams): void {
    this.trackOverwrite(params);
  }

  userSet(params: UserParams): void {
    this.#send('user_set', params);
  }

  userSetOnce(params: UserParams): void {
    this.#send('user_setOnce', params);
  }

  /** Adds numbers to numeric user properties (negative subtracts). */
  userAdd(params: UserParams): void {
    this.#send('user_add', params);
  }

  /** Clears user properties; sent as `{ name: 0 }`. */
  userUnset(params: UserUnsetParams): void {
    const { property, ...rest } = params;
    const valid = typeof property === 'string' || Array.isArray(property);
    if (!valid) this.#problem(new ValidationError('property', 'must be a property name or a list of names'));
    const unsetNames = typeof property === 'string' ? [property] : valid ? property : [];
    this.#send('user_unset', { ...rest, unsetNames });
  }

  userAppend(params: UserParams): void {
    this.#send('user_append', params);
  }

  userUniqAppend(params: UserParams): void {
    this.#send('user_uniq_append', params);
  }

  /** Deletes the user; the record's properties are empty. */
  userDel(params: IdentityParams): void {
    this.#send('user_del', params);
  }

  /** Merges into the super properties (a key set again is overwritten). */
  setSuperProperties(properties: Record<string, unknown>): void {
    if (!properties || typeof properties !== 'object' || Array.isArray(properties)) {
      return this.#problem(new ValidationError('superProperties', 'must be an object'));
    }
    // Strict mode checks names and values now, where the caller made the mistake.
    if (this.#strict) normalizeInto({ strict: true, found: [] }, {}, properties);
    this.#superProperties = { ...this.#superProperties, ...properties };
    this.#context = undefined;
  }

  clearSuperProperties(): void {
    this.#superProperties = {};
    this.#context = undefined;
  }

  /** The current super properties (a copy). */
  getSuperProperties(): Record<string, unknown> {
    return { ...this.#superProperties };
  }

  /** A callback evaluated for every track-type record; its properties win over super properties. `undefined` removes it. */
  setDynamicSuperProperties(callback: (() => Record<string, unknown>) | undefined): void {
    if (callback !== undefined && typeof callback !== 'function') {
      return this.#problem(new ValidationError('dynamicSuperProperties', 'must be a function'));
    }
    this.#dynamicSuperProperties = callback;
    this.#context = undefined;
  }

  /** Sends what the consumer holds; see the consumer for what a rejection means. */
  flush(): Promise<void> {
    return this.#consumer.flush();
  }

  close(): Promise<void> {
    return this.#consumer.close();
  }

  #send(type: RecordType, input: EventInput): void {
    const context = (this.#context ??= {
      clock: this.#clock,
      strict: this.#strict,
      enableUuid: this.#enableUuid,
      lib: LIB_NAME,
      libVersion: LIB_VERSION,
      superProperties: this.#superProperties,
      dynamicSuperProperties: this.#dynamicSuperProperties,
    });
    let built: ReturnType<typeof buildRecord>;
    try {
      built = buildRecord(type, input, context);
    } catch (error) {
      // Strict mode's ValidationError goes to the caller; in lenient mode only something
      // unexpected lands here (a getter that throws, a cyclic value), and it must not escape.
      if (this.#strict) throw error;
      return this.#report(error);
    }
    for (const issue of built.issues) this.#report(issue);
    try {
      this.#consumer.add(built.record);
    } catch (error) {
      if (this.#strict) throw error;
      this.#report(error);
    }
  }

  #problem(error: ValidationError): void {
    if (this.#strict) throw error;
    this.#report(error);
  }

  #report(error: unknown): void {
    const onError = this.#onError;
    if (!onError) return;
    try {
      onError(error instanceof Error ? error : new Error(String(error)));
    } catch (thrown) {
      // A throwing handler must not turn a lenient call into a throwing one; surface it as an
      // uncaught error instead of swallowing it.
      queueMicrotask(() => {
        throw thrown;
      });
    }
  }
}
