import { createFetchTransport } from '../adapters/transport/fetch.js';
import type { SenderConfig } from '../core/config.js';
import type { Endpoint } from '../core/delivery.js';
import type { Transport } from '../core/types.js';
import type { RuntimeDeps } from './runtime-deps.js';

/**
 * Where a sender's packs go, built from its config once the sending half is loaded: one module
 * per destination (route-bridge.ts, route-dataproxy.ts, route-manager.ts), so a bridge client
 * never loads Manager discovery or node pools.
 */
export interface Route {
  endpoint: Endpoint;
  /** Resolves once the configured groups' node lists were asked for (Manager discovery). */
  ready(): Promise<void>;
  /** Stops background refreshes. */
  stop(): void;
}

/** What a route module exports. */
export type RouteFactory = (config: SenderConfig, deps: RuntimeDeps, onError?: (error: Error) => void) => Route;

/** `ready` and `stop` of a route with nothing running in the background. */
export const noBackground = { ready: async (): Promise<void> => undefined, stop: (): void => undefined };

/**
 * The runtime's transport, or fetch through ky. Made here, in the sending half, so ky loads with
 * the route (one chunk with it) rather than before a first `track`/`send`.
 * @example const transport = transportOf(deps);
 */
export const transportOf = (deps: RuntimeDeps): Transport => deps.transport ?? createFetchTransport();
