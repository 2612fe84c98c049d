import { createSystemClock } from '../../adapters/clock/system-clock.js';
import { LIB_VERSION } from '../../analytics/version.js';
import { InLongError } from '../../core/errors/inlong-error.js';
import { buildRecord, type EventInput, type RecordType } from '../../core/record.js';
import { loadIdentity, type IdentityState } from './identity.js';
import { resolveOptions, type BrowserOptions } from './options.js';
import { browserPresets } from './presets.js';
import { createBrowserRuntime } from './runtime.js';
import type { BrowserClient, Properties, SpecialEvent } from './types.js';
import type { Transport } from '../../core/types.js';
import { readGlobal } from './storage-choice.js';

/**
 * Creates one browser client. Prefer `InLong.init(options)`, which also keeps named instances.
 * @example
 * const client = createBrowserClient({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' });
 * client.track('view_page', { section: 'news' });
 */
export function createBrowserClient(input: BrowserOptions, makeTransport: () => Transport): BrowserClient {
  const options = resolveOptions(input);
  const clock = options.clock ?? createSystemClock();
  const report = (error: unknown): void => {
    try {
      options.onError?.(error);
    } catch (hookError) {
      // A throwing hook must not make track() throw: surface it on its own turn instead.
      queueMicrotask(() => {
        throw hookError;
      });
    }
  };
  const injected = options.globals.localStorage;
  const local = injected === undefined ? readGlobal('localStorage') : (injected ?? undefined);
  const identity = loadIdentity(local, `inlong-js:${options.name}:identity`, report);
  // The entry decides the default transport (ky for ESM, the page's fetch for the <script> build).
  const runtime = createBrowserRuntime({ ...options, clock, transport: options.transport ?? makeTransport() }, report, local);
  const timers = new Map<string, number>();
  let pageProperties: Properties = {};
  let dynamic: (() => Properties) | undefined;
  let enabled = true;

  const update = (change: (now: IdentityState) => unknown, always?: boolean): void => {
    if (identity.state.optOut && !always) return;
    change(identity.state);
    identity.save();
  };
  /** The stored id, created (and saved, also while opted out) on first use. */
  const id = (name: 'deviceId' | 'distinctId') => (): string => {
    if (!identity.state[name]) update((now) => (now[name] = clock.uuid()), true);
    return identity.state[name] ?? '';
  };
  const deviceId = id('deviceId');
  const distinctId = id('distinctId');
  const presets = (): Properties => ({ ...browserPresets(options.globals), '#device_id': deviceId(), ...options.presetProperties });

  const emit = (type: RecordType, input: EventInput): void => {
    if (!enabled || identity.state.optOut) return;
    try {
      const isTrack = type.startsWith('track');
      const { record, issues } = buildRecord(type, { ...input, distinctId: distinctId(), accountId: identity.state.accountId }, {
        clock,
        strict: options.strict,
        enableUuid: true,
        lib: 'inlong-js-web',
        libVersion: LIB_VERSION,
        superProperties: isTrack ? { ...presets(), ...identity.state.superProperties, ...pageProperties } : undefined,
        dynamicSuperProperties: isTrack ? dynamic : undefined,
      });
      issues.forEach(report);
      if (!runtime.enqueue(JSON.stringify(record))) report(new InLongError('REJECTED', `record larger than batchBytes (${options.batchBytes}): not sent`));
    } catch (error) {
      if (options.strict) throw error;
      report(error);
    }
  };

  const track = (type: RecordType, event: Partial<SpecialEvent> | undefined, extra?: Partial<SpecialEvent>): void => {
    const name = event?.eventName ?? '';
    const started = timers.get(name);
    const properties: Properties = { ...event?.properties };
    if (started !== undefined) {
      timers.delete(name);
      properties['#duration'] = Math.round(clock.now() - started) / 1000;
    }
    emit(type, { event: event?.eventName, properties, time: event?.time, eventId: extra?.eventId, firstCheckId: extra?.firstCheckId });
  };
  const user = (type: RecordType) => (properties: Properties) => emit(type, { properties });
  const identify = (value: string): void => update((now) => (now.distinctId = String(value)));
  // Opting out or back in starts a new identity; opted out, only that choice is stored.
  const consent = (optOut?: true): void => {
    identity.state = { superProperties: {}, optOut };
    identity.save();
    if (optOut) void runtime.clear().catch(report);
  };

  return {
    name: options.name,
    track: (eventName, properties, time) => track('track', { eventName, properties, time }),
    trackFirst: (event) => track('track', event, { firstCheckId: event?.firstCheckId ?? deviceId() }),
    trackUpdate: (event) => track('track_update', event, event),
    trackOverwrite: (event) => track('track_overwrite', event, event),
    timeEvent: (eventName) => void timers.set(eventName, clock.now()),
    identify,
    setDistinctId: identify,
    getDistinctId: distinctId,
    getDeviceId: deviceId,
    getAccountId: () => identity.state.accountId,
    login: (accountId) => update((now) => (now.accountId = String(accountId))),
    logout: (changeDistinctId) =>
      update((now) => {
        now.accountId = undefined;
        if (changeDistinctId) now.distinctId = clock.uuid();
      }),
    userSet: user('user_set'),
    userSetOnce: user('user_setOnce'),
    userAdd: user('user_add'),
    userUnset: (name) => emit('user_unset', { unsetNames: ([] as string[]).concat(name) }),
    userAppend: user('user_append'),
    userUniqAppend: user('user_uniq_append'),
    userDel: () => emit('user_del', {}),
    setSuperProperties: (properties) => update((now) => Object.assign(now.superProperties, properties)),
    getSuperProperties: () => ({ ...identity.state.superProperties }),
    unsetSuperProperty: (name) => update((now) => delete now.superProperties[name]),
    clearSuperProperties: () => update((now) => (now.superProperties = {})),
    setDynamicSuperProperties: (callback) => void (dynamic = typeof callback === 'function' ? callback : undefined),
    setPageProperty: (properties) => void (pageProperties = { ...pageProperties, ...properties }),
    getPageProperty: () => ({ ...pageProperties }),
    getPresetProperties: presets,
    flush: runtime.flush,
    optOutTracking: () => consent(true),
    optInTracking: () => consent(),
    enableTracking: (value) => void (enabled = value !== false),
    stats: runtime.stats,
    subscribe: runtime.subscribe,
    close: runtime.close,
  };
}
