import { TDAnalyticsCore } from '../../analytics/td-analytics.js';
import type { Consumer } from '../../analytics/consumer.js';
import { createSystemClock } from '../../adapters/clock/system-clock.js';
import { createGzip } from '../../adapters/compression/gzip.js';
import { createCloudflareSocket } from '../../adapters/socket/cloudflare-sockets.js';
import { createFetchTransport } from '../../adapters/transport/fetch.js';
import { ConfigError } from '../../core/errors/config-error.js';
import { InLongApiCore } from '../../sender/inlong-api.js';
import { createApiConsumer } from './api-consumer.js';
import { withManagerCache, type ManagerReplyCache } from './manager-cache.js';
import { requestEventProperties, type RequestOutcome } from './request-event.js';
import type { ResolvedSettings } from './settings.js';

/**
 * What a wrapped `fetch` handler gets as its fourth argument: clients that live for this one
 * request and are flushed in `ctx.waitUntil` after the response is returned.
 * @example
 * async fetch(request, env, ctx, inlong) {
 *   inlong.identify({ accountId: 'u42' });
 *   inlong.track('checkout', { amount: 3 });
 *   inlong.api.send('audit_group', 'audit_stream', 'raw line');
 *   return new Response('ok');
 * }
 */
export interface InLongRequestClient {
  /** ThinkingData server style; records land in the configured group/stream. */
  readonly td: TDAnalyticsCore;
  /** The InLong DataProxy SDK twin, initialised; `send()` answers a result code at once. */
  readonly api: InLongApiCore;
  /** Who this request is about: used by {@link track} and the automatic request event. */
  identify(identity: { distinctId?: string; accountId?: string }): void;
  /** `td.track` with this request's identity. */
  track(event: string, properties?: Record<string, unknown>): void;
  /** Extra properties merged into the automatic request event (e.g. a route name). */
  readonly requestProperties: Record<string, unknown>;
  /** No automatic event for this request (health checks, assets). */
  skipRequestEvent(): void;
}

/**
 * The client plus what the middleware does with it once the handler is done.
 * @example control.finish({ request, status: 200, durationMs: 3 }); ctx.waitUntil(control.close());
 */
export interface RequestClientControl {
  client: InLongRequestClient;
  /** Queues the request event (if on); never throws. */
  finish(outcome: RequestOutcome): void;
  /** Flushes within `flushTimeoutMs`, then stops; for `ctx.waitUntil`. Never rejects. */
  close(): Promise<void>;
}

/**
 * Builds the per-request clients. One pipeline serves `td` and `api`, so a request's events
 * leave together. Per request, not per isolate: Workers forbid reusing one request's I/O (and
 * its timers) from another, and a module-level buffer would be lost when the isolate is evicted.
 * @example const { client, finish, close } = createRequestClient(settings, request, cache);
 */
export function createRequestClient(settings: ResolvedSettings, request: Request, managerReplies: ManagerReplyCache): RequestClientControl {
  const { onError } = settings;
  // Not portableDeps(): its config-file reader imports `node:fs/promises`, which a Worker
  // bundle without `nodejs_compat` cannot resolve. Workers have no files to read anyway.
  const base = {
    clock: settings.deps.clock ?? createSystemClock(),
    transport: settings.deps.transport ?? createFetchTransport(),
    compressor: settings.deps.compressor ?? createGzip(),
    // For tcp:// nodes; `cloudflare:sockets` is imported only when a connection opens.
    socket: settings.deps.socket ?? createCloudflareSocket(),
  };
  const config = settings.sender;
  const managerUrl = typeof config.managerUrl === 'string' ? config.managerUrl : typeof config.manager_url === 'string' ? config.manager_url : '';
  const ttlMs = typeof config.managerUpdateIntervalMs === 'number' ? config.managerUpdateIntervalMs : 120_000;
  const transport = managerUrl ? withManagerCache(base.transport, { managerUrl, ttlMs, now: () => base.clock.now(), cache: managerReplies }) : base.transport;
  const api = new InLongApiCore({ ...base, transport });
  api.setDefaultCallback((_group, _stream, msg, _length, _time, _ip, error) => onError(error, [msg]));
  // With an object config the API accepts sends as soon as initApi returns; what it resolves
  // (Manager discovery) is awaited later, inside waitUntil, never before the response.
  const ready = api.initApi(config).then(
    () => undefined,
    (error: unknown) => onError(error instanceof Error ? error : new Error(String(error))),
  );

  const consumer: Consumer =
    settings.groupId && settings.streamId
      ? createApiConsumer(api, settings.groupId, settings.streamId)
      : missingStreamConsumer((error) => onError(error));
  const td = new TDAnalyticsCore(consumer, { strict: settings.strict, enableUuid: settings.enableUuid, onError: (error) => onError(error) }, { clock: base.clock });
  let distinctId: string | undefined = pickDistinctId(settings, request);
  let accountId: string | undefined;
  let skipped = false;
  const requestProperties: Record<string, unknown> = {};
  const identity = (): { distinctId?: string; accountId?: string } => {
    // ThinkingData needs one of the two ids: an anonymous request gets a random distinct id,
    // the same for all of its events.
    if (distinctId === undefined && accountId === undefined) distinctId = base.clock.uuid();
    return { distinctId, accountId };
  };

  const client: InLongRequestClient = {
    td,
    api,
    identify(next) {
      if (next.distinctId !== undefined) distinctId = next.distinctId;
      if (next.accountId !== undefined) accountId = next.accountId;
    },
    track: (event, properties) => td.track({ ...identity(), event, properties }),
    requestProperties,
    skipRequestEvent: () => {
      skipped = true;
    },
  };

  return {
    client,
    finish(outcome) {
      const options = settings.requestEvent;
      if (!options || skipped) return;
      const built = requestEventProperties(outcome, options);
      const properties = { ...built.properties, ...requestProperties };
      try {
        td.track({ ...identity(), event: options.event ?? 'http_request', properties, ...(built.ip ? { ip: built.ip } : {}) });
      } catch (error) {
        // Strict mode throws at a bad `requestProperties` value; the response is done by now.
        onError(error instanceof Error ? error : new Error(String(error)));
      }
    },
    async close() {
      try {
        await ready;
        await api.closeApi(settings.flushTimeoutMs);
      } catch (error) {
        // waitUntil must not see a rejection: Workers would log it as the request's own failure.
        onError(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}

/** The configured distinct id of a request; a throwing picker is reported, never thrown at the handler. */
function pickDistinctId(settings: ResolvedSettings, request: Request): string | undefined {
  try {
    return settings.distinctId?.(request);
  } catch (error) {
    settings.onError(error instanceof Error ? error : new Error(String(error)));
    return undefined;
  }
}

/** Stands in for `td` when no group/stream is configured, saying so once per request. */
function missingStreamConsumer(report: (error: Error) => void): Consumer {
  let told = false;
  const tell = (): void => {
    if (told) return;
    told = true;
    report(new ConfigError('groupId', 'td and the request event need a stream: set INLONG_GROUP_ID and INLONG_STREAM_ID (or options.groupId/streamId)'));
  };
  return { add: tell, flush: async () => undefined, close: async () => undefined };
}
