import type { SenderConfig } from '../core/config.js';
import { ConfigError } from '../core/errors/config-error.js';
import type { DeliveryError } from '../core/errors/delivery-error.js';
import type { DeliveryEvent, createDelivery } from '../core/delivery.js';
import { createPipelineWith, type Pipeline } from '../core/pipeline-core.js';
import type { Outbox } from '../core/outbox.js';
import type { Pack } from '../core/types.js';
import { encodeFormValue } from '../dataproxy/form.js';
import { createLazyDelivery } from './lazy-delivery.js';
import type { Route, RouteFactory } from './route.js';
import type { RuntimeDeps } from './runtime-deps.js';

export interface SenderHooks {
  onFailure?: (pack: Pack, error: DeliveryError) => void;
  onEvent?: (event: DeliveryEvent) => void;
  /** Background problems that lose nothing by themselves (a failed node-list refresh). */
  onError?: (error: Error) => void;
  outbox?: Outbox;
  /** Retries for this sender, overriding the config (browsers never give up). */
  retries?: number;
}

export interface Sender {
  pipeline: Pipeline;
  /** Resolves once the configured groups' node lists were asked for. */
  ready(): Promise<void>;
  /** Stops background refreshes. */
  stop(): void;
}

/** Room in a request for everything but the body: names, ids, `dt`, `cnt`, a write key. */
const FORM_RESERVE = 512;
/**
 * More room in a TCP frame: 4 length bytes per record where the batcher counts 3 between
 * records, for up to 1,000 records a pack. A frame still too long is split by the endpoint (104).
 */
const TCP_RESERVE = 1024;

/**
 * The sending half of each destination, loaded with a dynamic `import()` when a sender of that
 * kind first has something to send (bundlers give each its own chunk): a bridge client never
 * downloads Manager discovery or node pools, and no client waits for any of it before its first
 * `track`/`send`.
 */
const ROUTES: Record<'bridge' | 'dataproxy' | 'manager' | 'tcp', () => Promise<{ createRoute: RouteFactory; createDelivery: typeof createDelivery }>> = {
  bridge: () => import('./route-bridge.js'),
  dataproxy: () => import('./route-dataproxy.js'),
  manager: () => import('./route-manager.js'),
  tcp: () => import('./route-tcp.js'),
};

/**
 * Builds the pipeline a config describes: to a bridge, to fixed DataProxy nodes, or to nodes
 * discovered per group through the Manager — over HTTP, or over TCP for `tcp://` nodes and
 * `protocol: 'tcp'`. What `enqueue` needs (batcher, outbox, limits) is
 * here at once; the delivery loop, the endpoint and its protocol load on the first pack or
 * flush, or at once for the Manager, whose discovery of `groupIds` starts with the sender.
 * @example const { pipeline } = createSender(parseSenderConfig({ bridgeUrl }), portableDeps());
 */
export function createSender(config: SenderConfig, deps: RuntimeDeps, hooks: SenderHooks = {}): Sender {
  const direct = config.dataproxyUrls.length > 0 ? 'dataproxy' : config.managerUrl ? 'manager' : undefined;
  // DataProxy's TCP source: tcp:// nodes, or a Manager asked for its TCP nodes.
  const tcp = !config.bridgeUrl && (direct === 'manager' ? config.protocol === 'tcp' : /^tcp:/i.test(config.dataproxyUrls[0] ?? ''));
  const kind = config.bridgeUrl ? 'bridge' : tcp ? 'tcp' : direct;
  if (!kind) throw new ConfigError('dataproxyUrls', 'no destination: set bridgeUrl, dataproxyUrls, or managerUrl (C++ manager_url) with groupIds');

  let route: Promise<Route & { createDelivery: typeof createDelivery }> | undefined;
  let loaded: Route | undefined;
  const loadRoute = (): Promise<Route & { createDelivery: typeof createDelivery }> =>
    (route ??= ROUTES[kind]().then(
      (module) => ({ ...(loaded = module.createRoute(config, deps, hooks.onError)), createDelivery: module.createDelivery }),
      (error: unknown) => {
        // A failed chunk load must not stick: the next pack or flush tries again.
        route = undefined;
        throw error;
      },
    ));

  const pipeline = createPipelineWith(
    {
      clock: deps.clock,
      outbox: hooks.outbox ?? deps.outbox?.(),
      packCount: config.packCount,
      packBytes: Math.min(config.packSize, config.maxMsgLength - FORM_RESERVE - (tcp ? TCP_RESERVE : 0)),
      packTimeoutMs: config.packTimeoutMs,
      maxBufferBytes: config.recvBufSize,
      maxRecordBytes: config.extPackSize,
      retries: hooks.retries ?? config.retryTimes,
      backoff: { baseMs: config.retryBaseMs, maxMs: config.retryMaxMs },
      concurrency: config.maxInflight,
      // A bridge takes records raw (multi-pack raw packs), and so do TCP frames; DataProxy's
      // HTTP source takes forms, so records are form-encoded once, when added, and sized by that.
      encode: config.bridgeUrl || tcp ? undefined : encodeFormValue,
      onFailure: hooks.onFailure,
      onEvent: hooks.onEvent,
    },
    (options) =>
      createLazyDelivery(
        () => loadRoute().then((current) => current.createDelivery({ ...options, endpoint: current.endpoint })),
        (error) => options.onEvent({ type: 'error', error }),
      ),
  );

  const report = (error: unknown): void => hooks.onError?.(error instanceof Error ? error : new Error(String(error)));
  if (!config.bridgeUrl && direct === 'manager') loadRoute().catch(report);
  return {
    pipeline,
    ready: () => loadRoute().then((current) => current.ready()),
    stop() {
      // A route still loading is stopped once it is there; one that failed to load has nothing running.
      if (loaded) loaded.stop();
      else route?.then((current) => current.stop(), report);
    },
  };
}
