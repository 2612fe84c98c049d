import type { SenderConfig } from '../core/config.js';
import { ConfigError } from '../core/errors/config-error.js';
import type { DeliveryError } from '../core/errors/delivery-error.js';
import type { DeliveryEvent, Endpoint } from '../core/delivery.js';
import { createPipeline, type Pipeline } from '../core/pipeline.js';
import type { Outbox } from '../core/outbox.js';
import type { Pack } from '../core/types.js';
import { createBridgeEndpoint } from '../dataproxy/bridge-endpoint.js';
import { createDataProxyEndpoint } from '../dataproxy/dataproxy-endpoint.js';
import { encodeFormValue } from '../dataproxy/form.js';
import { createDiscoveredRoutes } from '../dataproxy/discovered-routes.js';
import { createNodePool } from '../dataproxy/node-pool.js';
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
 * Builds the pipeline a config describes: to a bridge, to fixed DataProxy nodes, or to nodes
 * discovered per group through the Manager.
 */
export function createSender(config: SenderConfig, deps: RuntimeDeps, hooks: SenderHooks = {}): Sender {
  const timeoutMs = config.requestTimeoutMs;
  let endpoint: Endpoint;
  let ready: () => Promise<void> = async () => undefined;
  let stop = (): void => undefined;

  if (config.bridgeUrl) {
    endpoint = createBridgeEndpoint({
      transport: deps.transport,
      url: config.bridgeUrl,
      timeoutMs,
      compressor: config.enableZip ? deps.compressor : undefined,
      minZipBytes: config.minZipLen,
      writeKey: config.writeKey || undefined,
    });
  } else if (config.dataproxyUrls.length > 0) {
    const pool = createNodePool({ clock: deps.clock, parkMs: config.nodeParkMs });
    pool.setNodes(config.dataproxyUrls);
    endpoint = createDataProxyEndpoint({ transport: deps.transport, timeoutMs, route: () => ({ pool }) });
  } else if (config.managerUrl) {
    const routes = createDiscoveredRoutes({
      clock: deps.clock,
      transport: deps.transport,
      url: config.managerUrl,
      authId: config.authId || undefined,
      authKey: config.authKey,
      refreshMs: config.managerUpdateIntervalMs,
      timeoutMs: config.managerTimeoutMs,
      parkMs: config.nodeParkMs,
      onError: hooks.onError,
    });
    const initial = Promise.all(config.groupIds.map((groupId) => routes.route(groupId).ready()));
    ready = () => initial.then(() => undefined);
    stop = routes.stop;
    endpoint = createDataProxyEndpoint({ transport: deps.transport, timeoutMs, route: routes.route });
  } else {
    throw new ConfigError('dataproxyUrls', 'no destination: set bridgeUrl, dataproxyUrls, or managerUrl (C++ manager_url) with groupIds');
  }

  const pipeline = createPipeline({
    clock: deps.clock,
    endpoint,
    outbox: hooks.outbox ?? deps.outbox?.(),
    packCount: config.packCount,
    packBytes: Math.min(config.packSize, config.maxMsgLength - FORM_RESERVE),
    packTimeoutMs: config.packTimeoutMs,
    maxBufferBytes: config.recvBufSize,
    maxRecordBytes: config.extPackSize,
    retries: hooks.retries ?? config.retryTimes,
    backoff: { baseMs: config.retryBaseMs, maxMs: config.retryMaxMs },
    concurrency: config.maxInflight,
    // A bridge takes records raw (multi-pack raw packs); DataProxy itself takes forms, so
    // records are form-encoded once, when they are added, and sized by that.
    encode: config.bridgeUrl ? undefined : encodeFormValue,
    onFailure: hooks.onFailure,
    onEvent: hooks.onEvent,
  });
  return { pipeline, ready, stop };
}
