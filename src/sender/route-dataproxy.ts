import { createDataProxyEndpoint } from '../dataproxy/dataproxy-endpoint.js';
import { createNodePool } from '../dataproxy/node-pool.js';
import { noBackground, transportOf, type RouteFactory } from './route.js';

/** The delivery loop travels with every route: one chunk to load, not two. */
export { createDelivery } from '../core/delivery.js';

/**
 * To fixed DataProxy nodes (`dataproxyUrls`): one pool for every group, failed nodes parked.
 * @example const { endpoint } = createRoute(config, deps);
 */
export const createRoute: RouteFactory = (config, deps) => {
  const pool = createNodePool({ clock: deps.clock, parkMs: config.nodeParkMs });
  pool.setNodes(config.dataproxyUrls);
  return { ...noBackground, endpoint: createDataProxyEndpoint({ transport: transportOf(deps), timeoutMs: config.requestTimeoutMs, route: () => ({ pool }) }) };
};
