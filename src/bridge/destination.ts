import { createFetchTransport } from '../adapters/transport/fetch.js';
import { ConfigError } from '../core/errors/config-error.js';
import type { Clock, SocketConnector, Transport } from '../core/types.js';
import type { NodeRoute } from '../dataproxy/dataproxy-endpoint.js';
import { createDiscoveredRoutes } from '../dataproxy/discovered-routes.js';
import { createNodePool } from '../dataproxy/node-pool.js';
import { createMemorySink } from './embedded-sink.js';
import { createDataProxySink } from './forward.js';
import { createLazySink } from './lazy-sink.js';
import type { BridgeConfig } from './options.js';
import type { Sink } from './sink.js';

export interface Destination {
  /** Builds the sink on first use. */
  sink(): Sink;
  /** One line for logs: where packs go (never credentials). */
  describe(): string;
  close(): Promise<void>;
}

/**
 * Where accepted packs go, built lazily: Cloudflare Workers forbid timers, random numbers and
 * I/O in the global scope where a bridge is usually created, and node shuffling and Manager
 * discovery need all three. So nothing runs until the first request.
 * @example const destination = createDestination(config, { clock }); destination.sink().write(packs);
 */
export function createDestination(
  config: BridgeConfig,
  deps: { clock: Clock; transport?: Transport; socket?: SocketConnector; sink?: Sink; log?: (line: string) => void },
): Destination {
  let built: { sink: Sink; stop: () => void } | undefined;

  const build = (): { sink: Sink; stop: () => void } => {
    const { clock } = deps;
    if (config.mode === 'embedded') return { sink: deps.sink ?? createMemorySink({ now: () => clock.now() }), stop: () => undefined };
    const transport = deps.transport ?? createFetchTransport();
    const common = { clock, transport, maxMsgLength: config.maxMsgLength, requestTimeoutMs: config.requestTimeoutMs, budgetMs: config.forwardBudgetMs, log: deps.log };
    const forward = (route: (groupId: string) => NodeRoute): Sink => {
      if (config.protocol === 'http') return createDataProxySink({ ...common, route, description: describe() });
      return createLazySink('dataproxy-tcp', describe(), () => import('./tcp-sink.js').then((module) => module.createTcpSink({ ...common, route, connector: deps.socket, description: describe() }, createDataProxySink)));
    };
    if (config.mode === 'dataproxy') {
      const pool = createNodePool({ clock, parkMs: config.nodeParkMs });
      pool.setNodes(config.dataproxy);
      return { sink: forward(() => ({ pool })), stop: () => undefined };
    }
    const manager = config.manager;
    if (!manager) throw new ConfigError('manager', 'is required in manager mode');
    const routes = createDiscoveredRoutes({
      clock,
      transport,
      url: manager.url,
      authId: manager.authId,
      authKey: manager.authKey,
      refreshMs: manager.refreshMs,
      timeoutMs: config.requestTimeoutMs,
      parkMs: config.nodeParkMs,
      protocol: config.protocol === 'tcp' ? 'TCP' : 'HTTP',
      // The error says what failed (status, parse); it never contains the Basic credentials.
      onError: (error) => deps.log?.(`Manager refresh failed: ${error.message}`),
    });
    // Warm the configured group: its list is asked for with the first pack, then refreshed.
    void routes.route(manager.groupId).ready();
    return { sink: forward(routes.route), stop: routes.stop };
  };

  function describe(): string {
    if (config.mode === 'dataproxy') return `DataProxy${config.protocol === 'tcp' ? ' TCP' : ''} nodes ${config.dataproxy.join(', ')}`;
    if (config.mode === 'manager' && config.manager) return `Manager discovery at ${config.manager.url} (group ${config.manager.groupId}${config.protocol === 'tcp' ? ', TCP nodes' : ''})`;
    return (built?.sink ?? deps.sink)?.description ?? 'embedded sink in memory';
  }

  return {
    sink() {
      built ??= build();
      return built.sink;
    },
    describe,
    async close() {
      built?.stop();
      await (built?.sink ?? deps.sink)?.close?.();
    },
  };
}
