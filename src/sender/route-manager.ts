import { createDataProxyEndpoint } from '../dataproxy/dataproxy-endpoint.js';
import { createDiscoveredRoutes } from '../dataproxy/discovered-routes.js';
import type { RouteFactory } from './route.js';

/**
 * To DataProxy nodes the Manager lists per group (`managerUrl`); `groupIds` are asked for at once.
 * @example const { endpoint, ready } = createRoute(config, deps, onError); await ready();
 */
export const createRoute: RouteFactory = (config, deps, onError) => {
  const routes = createDiscoveredRoutes({
    clock: deps.clock,
    transport: deps.transport,
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
    endpoint: createDataProxyEndpoint({ transport: deps.transport, timeoutMs: config.requestTimeoutMs, route: routes.route }),
    ready: () => initial.then(() => undefined),
    stop: routes.stop,
  };
};
