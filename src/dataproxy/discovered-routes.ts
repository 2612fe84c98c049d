import type { Clock, Transport } from '../core/types.js';
import { createManagerDiscovery, type ManagerDiscovery } from './manager.js';
import { createNodePool, type NodePool } from './node-pool.js';

export interface DiscoveredRoutesOptions {
  clock: Clock;
  transport: Transport;
  /** Manager getIpList URL (C++ `manager_url`). */
  url: string;
  authId?: string;
  authKey?: string;
  refreshMs: number;
  timeoutMs: number;
  parkMs: number;
  /** Which DataProxy nodes to ask for: `HTTP` (default) or `TCP`. */
  protocol?: 'HTTP' | 'TCP';
  onError?: (error: Error) => void;
}

export interface DiscoveredRoute {
  pool: NodePool;
  /** Resolves once this group has a node list (or its first discovery failed). */
  ready(): Promise<void>;
}

/**
 * One node pool per group, filled and refreshed from the Manager. A group seen for the first
 * time is discovered on its first pack, so `groupIds` only warms the cache.
 * @example const routes = createDiscoveredRoutes({ clock, transport, url, refreshMs: 120_000, timeoutMs: 5000, parkMs: 20_000 });
 */
export function createDiscoveredRoutes(options: DiscoveredRoutesOptions): { route: (groupId: string) => DiscoveredRoute; stop: () => void } {
  const routes = new Map<string, DiscoveredRoute & { discovery: ManagerDiscovery }>();

  const route = (groupId: string): DiscoveredRoute => {
    const known = routes.get(groupId);
    if (known) return known;
    const pool = createNodePool({ clock: options.clock, parkMs: options.parkMs });
    const discovery = createManagerDiscovery({
      ...options,
      groupId,
      onNodes: (urls) => {
        // Reshuffle only when the set changed, so a refresh does not reset round-robin.
        const same = urls.length === pool.nodes().length && urls.every((url) => pool.nodes().includes(url));
        if (!same) pool.setNodes(urls);
      },
    });
    let first: Promise<unknown> | undefined;
    const entry = {
      pool,
      discovery,
      async ready() {
        if (pool.nodes().length > 0) return;
        first ??= discovery.refresh().finally(() => {
          first = undefined;
        });
        await first;
      },
    };
    routes.set(groupId, entry);
    discovery.start();
    return entry;
  };

  return {
    route,
    stop() {
      for (const entry of routes.values()) entry.discovery.stop();
    },
  };
}
