import { createDataProxyEndpoint } from '../dataproxy/dataproxy-endpoint.js';
import { createDiscoveredRoutes } from '../dataproxy/discovered-routes.js';
import { transportOf, type RouteFactory } from './route.js';

/** The delivery loop travels with every route: one chunk to load, not two. */
export { createDelivery } from '../core/delivery.js';

/**
 * To DataProxy nodes the Manager lists per group (`managerUrl`); `groupIds` are asked for at once.
 * @example const { endpoint, ready } = createRoute(config, deps, onError); await ready();
 */
export const createRoute: RouteFactory = (config, deps, onError) => {
  const transport = transportOf(deps);
  const routes = createDiscoveredRoutes({
    clock: deps.clock,
    transport,
    url: config.managerUrl,
    authId: config.authId || undefined,
    authKey: config.authKey,
    refreshMs: config.managerUpdateIntervalMs,
    timeoutMs: config.managerTimeoutMs,
    parkMs: config.nodeParkMs,
    onError,
  });
  const initial = Promise.all(config.groupIds.map((groupId) => routes.route(groupId).ready()));
  return {
    endpoint: createDataProxyEndpoint({ transport, timeoutMs: config.requestTimeoutMs, route: routes.route }),
    ready: () => initial.then(() => undefined),
    stop: routes.stop,
  };
};
