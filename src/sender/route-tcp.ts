import { defaultSocketConnector } from '../adapters/socket/auto.js';
import type { NodeRoute } from '../dataproxy/dataproxy-endpoint.js';
import { createDiscoveredRoutes } from '../dataproxy/discovered-routes.js';
import { createNodePool } from '../dataproxy/node-pool.js';
import { snappyZip } from '../dataproxy/tcp/snappy.js';
import { createTcpEndpoint } from '../dataproxy/tcp/tcp-endpoint.js';
import { transportOf, type RouteFactory } from './route.js';
import { checkTcpConfig, TCP_WINDOW } from './tcp-config.js';

/** The delivery loop travels with every route: one chunk to load, not two. */
export { createDelivery } from '../core/delivery.js';

/**
 * To DataProxy's TCP source (`tcp://` in `dataproxyUrls`, or `managerUrl` with `protocol: 'tcp'`,
 * which asks for `protocolType=TCP` nodes): msgType-7 frames on persistent connections, Snappy
 * above `minZipLen` when `enableZip`. Stopping closes the connections.
 * @example const { endpoint, stop } = createRoute(config, deps, onError);
 */
export const createRoute: RouteFactory = (config, deps, onError) => {
  checkTcpConfig(config);
  const clock = deps.clock;
  let route: (groupId: string) => NodeRoute;
  let stopRoutes = (): void => undefined;
  let initial: Promise<unknown> = Promise.resolve();
  if (config.dataproxyUrls.length > 0) {
    const pool = createNodePool({ clock, parkMs: config.nodeParkMs });
    pool.setNodes(config.dataproxyUrls);
    route = () => ({ pool });
  } else {
    const routes = createDiscoveredRoutes({
      clock,
      transport: transportOf(deps),
      url: config.managerUrl,
      authId: config.authId || undefined,
      authKey: config.authKey,
      refreshMs: config.managerUpdateIntervalMs,
      timeoutMs: config.managerTimeoutMs,
      parkMs: config.nodeParkMs,
      protocol: 'TCP',
      onError,
    });
    route = routes.route;
    stopRoutes = routes.stop;
    initial = Promise.all(config.groupIds.map((groupId) => routes.route(groupId).ready()));
  }
  const endpoint = createTcpEndpoint({
    clock,
    connector: deps.socket ?? defaultSocketConnector(),
    route,
    timeoutMs: config.requestTimeoutMs,
    maxFrameBytes: config.maxMsgLength,
    zip: config.enableZip ? snappyZip(config.minZipLen) : undefined,
    window: TCP_WINDOW,
    heartbeatMs: config.heartbeatIntervalMs,
    idleMs: config.tcpIdleTimeMs,
    // Connection errors name their node already; each is typed (TcpProtocolError, NetworkError).
    onError: onError ? (error) => onError(error) : undefined,
  });
  return {
    endpoint,
    ready: () => initial.then(() => undefined),
    stop() {
      stopRoutes();
      endpoint.close();
    },
  };
};
