import { createDataProxyEndpoint } from '../dataproxy/dataproxy-endpoint.js';
import { createNodePool } from '../dataproxy/node-pool.js';
import { noBackground, type RouteFactory } from './route.js';

/**
 * To fixed DataProxy nodes (`dataproxyUrls`): one pool for every group, failed nodes parked.
 * @example const { endpoint } = createRoute(config, deps);
 */
export const createRoute: RouteFactory = (config, deps) => {
  const pool = createNodePool({ clock: deps.clock, parkMs: config.nodeParkMs });
  pool.setNodes(config.dataproxyUrls);
  return { ...noBackground, endpoint: createDataProxyEndpoint({ transport: deps.transport, timeoutMs: config.requestTimeoutMs, route: () => ({ pool }) }) };
};
