import type { SenderConfig } from '../../core/config.js';
import type { ErrorListener } from '../../analytics/consumer.js';
import type { RuntimeDeps } from '../../sender/runtime-deps.js';
import { readEnvSettings } from './env-config.js';
import type { RequestEventOptions } from './request-event.js';

/**
 * Options of `withInLong`: any sender option (`dataproxyUrls`, `managerUrl`, `bridgeUrl`,
 * `packCount`, …; the C++ snake_case keys too) plus the middleware's own. Explicit options win
 * over the `INLONG_*` bindings of `env`.
 * @example
 * withInLong(handler, (env) => ({ streamId: env.STREAM, requestEvent: false, packCount: 200, onError: (error) => console.warn(error) }))
 */
export interface WithInLongOptions extends Partial<SenderConfig> {
  /** Where `td` records and the request event land (binding `INLONG_GROUP_ID`). */
  groupId?: string;
  /** Binding `INLONG_STREAM_ID`. */
  streamId?: string;
  /** The automatic event per request; `false` turns it off. Default on (binding `INLONG_REQUEST_EVENT`). */
  requestEvent?: boolean | RequestEventOptions;
  /** The distinct id of the request event and `inlong.track`; default a random id per request. */
  distinctId?: (request: Request) => string | undefined;
  /** How long the flush inside `ctx.waitUntil` may take, ms. Default 25000 (Workers allow 30 s after the response). */
  flushTimeoutMs?: number;
  /** `td` throws on invalid input. Default false. */
  strict?: boolean;
  /** `#uuid` on every `td` record. Default true. */
  enableUuid?: boolean;
  /** Delivery failures, refused records and configuration problems. Default `console.error`. */
  onError?: ErrorListener;
  /** Replaces the runtime defaults (tests inject a fake transport or clock here). */
  deps?: Partial<RuntimeDeps>;
}

/**
 * Everything one request needs, resolved from options and bindings.
 * @example const settings: ResolvedSettings = resolveSettings(env, options);
 */
export interface ResolvedSettings {
  sender: Record<string, unknown>;
  groupId: string;
  streamId: string;
  requestEvent: RequestEventOptions | undefined;
  distinctId?: (request: Request) => string | undefined;
  flushTimeoutMs: number;
  strict: boolean;
  enableUuid: boolean;
  onError: ErrorListener;
  deps: Partial<RuntimeDeps>;
}

const OWN_KEYS = new Set(['groupId', 'streamId', 'requestEvent', 'distinctId', 'flushTimeoutMs', 'strict', 'enableUuid', 'onError', 'deps']);

/**
 * Per-request sender defaults. A Worker's events are flushed when its response is out, so the
 * pack timeout only matters for handlers that run long; a minute keeps one request's events
 * in one pack without holding anything.
 */
const WORKER_DEFAULTS = { packTimeoutMs: 60_000 };

const logError: ErrorListener = (error) => console.error('[inlong-js]', error);

/**
 * Merges the middleware options over the `INLONG_*` bindings of `env`.
 * @example resolveSettings({ INLONG_DATAPROXY_URLS: 'http://10.0.0.5:46802' }, { groupId: 'g', streamId: 's' })
 */
export function resolveSettings(env: unknown, options: WithInLongOptions): ResolvedSettings {
  const fromEnv = readEnvSettings(env);
  const explicit = Object.fromEntries(Object.entries(options).filter(([key, value]) => !OWN_KEYS.has(key) && value !== undefined));
  const groupId = options.groupId ?? fromEnv.groupId ?? '';
  const sender: Record<string, unknown> = { ...WORKER_DEFAULTS, ...fromEnv.sender, ...explicit };
  // Discovery needs to know the group up front; the C++ key may have been given instead.
  if (groupId && sender.groupIds === undefined && sender.inlong_group_ids === undefined) sender.groupIds = [groupId];
  const toggle = options.requestEvent ?? fromEnv.requestEvent ?? true;
  return {
    sender,
    groupId,
    streamId: options.streamId ?? fromEnv.streamId ?? '',
    requestEvent: toggle === false ? undefined : toggle === true ? {} : toggle,
    distinctId: options.distinctId,
    flushTimeoutMs: options.flushTimeoutMs ?? 25_000,
    strict: options.strict ?? false,
    enableUuid: options.enableUuid ?? true,
    onError: options.onError ?? logError,
    deps: options.deps ?? {},
  };
}
