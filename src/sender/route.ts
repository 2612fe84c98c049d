import type { SenderConfig } from '../core/config.js';
import type { Endpoint } from '../core/delivery.js';
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

export const noBackground = { ready: async (): Promise<void> => undefined, stop: (): void => undefined };
