import { createSystemClock } from '../../adapters/clock/system-clock.js';
import { LIB_VERSION } from '../../analytics/version.js';
import { InLongError } from '../../core/errors/inlong-error.js';
import { buildRecord, type EventInput, type RecordType } from '../../core/record.js';
import { loadIdentity } from './identity.js';
import { resolveOptions, type BrowserOptions } from './options.js';
import { browserPresets } from './presets.js';
import { createBrowserRuntime } from './runtime.js';
import type { BrowserClient, Properties, SpecialEvent } from './types.js';
import { readGlobal, type IndexedDbFactory } from './storage-choice.js';

/**
 * Creates one browser client. Prefer `InLong.init(options)`, which also keeps named instances.
 * `indexedDb` makes the outbox's IndexedDB adapter; without it the outbox uses localStorage.
 * @example
 * const client = createBrowserClient({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' });
 * client.track('view_page', { section: 'news' });
 */
export function createBrowserClient(input: BrowserOptions, indexedDb?: IndexedDbFactory): BrowserClient {
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
  const runtime = createBrowserRuntime({ ...options, clock }, report, local, indexedDb);
  const state = (): typeof identity.state => identity.state;
  const timers = new Map<string, number>();
  let pageProperties: Properties = {};
  let dynamic: (() => Properties) | undefined;
  let enabled = true;

  const deviceId = (): string => {
    if (!state().deviceId) {
      state().deviceId = clock.uuid();
      identity.save();
    }
    return state().deviceId ?? '';
  };
  const distinctId = (): string => {
    if (!state().distinctId) {
      state().distinctId = clock.uuid();
      identity.save();
    }
    return state().distinctId ?? '';
  };
  const update = (change: (now: typeof identity.state) => void): void => {
    if (state().optOut) return;
    change(state());
    identity.save();
  };
  const presets = (): Properties => ({ ...browserPresets(options.globals), '#device_id': deviceId(), ...options.presetProperties });

  const emit = (type: RecordType, input: EventInput): void => {
    if (!enabled || state().optOut) return;
    try {
      const isTrack = type.startsWith('track');
      const { record, issues } = buildRecord(type, { ...input, distinctId: distinctId(), accountId: state().accountId }, {
        clock,
        strict: options.strict,
        enableUuid: true,
        lib: 'inlong-js-web',
        libVersion: LIB_VERSION,
        superProperties: isTrack ? { ...presets(), ...state().superProperties, ...pageProperties } : undefined,
        dynamicSuperProperties: isTrack ? dynamic : undefined,
      });
      for (const issue of issues) report(issue);
      if (!runtime.enqueue(JSON.stringify(record))) report(new InLongError('REJECTED', `record larger than batchBytes (${options.batchBytes}): not sent`));
    } catch (error) {
      if (options.strict) throw error;
      report(error);
    }
  };

  const track = (eventName: string, properties?: Properties, time?: Date, extra?: Partial<SpecialEvent>, type: RecordType = 'track'): void => {
    const started = timers.get(eventName);
    const own: Properties = { ...properties };
    if (started !== undefined) {
      timers.delete(eventName);
      own['#duration'] = Math.round(clock.now() - started) / 1000;
    }
    emit(type, { event: eventName, properties: own, time, eventId: extra?.eventId, firstCheckId: extra?.firstCheckId });
  };
  const user = (type: RecordType) => (properties: Properties) => emit(type, { properties });

  const identify = (id: string): void => update((now) => (now.distinctId = String(id)));
  return {
    name: options.name,
    track: (eventName, properties, time) => track(eventName, properties, time),
    trackFirst: (event) => track(event?.eventName, event?.properties, event?.time, { firstCheckId: event?.firstCheckId ?? deviceId() }),
    trackUpdate: (event) => track(event?.eventName, event?.properties, event?.time, event, 'track_update'),
    trackOverwrite: (event) => track(event?.eventName, event?.properties, event?.time, event, 'track_overwrite'),
    timeEvent: (eventName) => void timers.set(eventName, clock.now()),
    identify,
    setDistinctId: identify,
    getDistinctId: distinctId,
    getDeviceId: deviceId,
    getAccountId: () => state().accountId,
    login: (accountId) => update((now) => (now.accountId = String(accountId))),
    logout: (changeDistinctId) =>
      update((now) => {
        now.accountId = undefined;
        if (changeDistinctId) now.distinctId = clock.uuid();
      }),
    userSet: user('user_set'),
    userSetOnce: user('user_setOnce'),
    userAdd: user('user_add'),
    userUnset: (name) => emit('user_unset', { unsetNames: Array.isArray(name) ? name : [name] }),
    userAppend: user('user_append'),
    userUniqAppend: user('user_uniq_append'),
    userDel: () => emit('user_del', {}),
    setSuperProperties: (properties) => update((now) => Object.assign(now.superProperties, properties)),
    getSuperProperties: () => ({ ...state().superProperties }),
    unsetSuperProperty: (name) => update((now) => delete now.superProperties[name]),
    clearSuperProperties: () => update((now) => (now.superProperties = {})),
    setDynamicSuperProperties: (callback) => void (dynamic = typeof callback === 'function' ? callback : undefined),
    setPageProperty: (properties) => void (pageProperties = { ...pageProperties, ...properties }),
    getPageProperty: () => ({ ...pageProperties }),
    getPresetProperties: presets,
    flush: () => runtime.flush(),
    optOutTracking() {
      identity.state = { superProperties: {}, optOut: true };
      identity.save();
      void runtime.clear().catch(report);
    },
    optInTracking() {
      identity.state = { superProperties: {} };
      identity.save();
    },
    enableTracking: (value) => void (enabled = value !== false),
    stats: runtime.stats,
    subscribe: runtime.subscribe,
    close: runtime.close,
  };
}
