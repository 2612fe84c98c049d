import { createGzip } from '../adapters/compression/gzip.js';
import { createZlibGzip } from '../adapters/compression/node-zlib.js';
import { createBridgeEndpoint } from '../dataproxy/bridge-endpoint.js';
import { noBackground, transportOf, type RouteFactory } from './route.js';

/** The delivery loop travels with every route: one chunk to load, not two. */
export { createDelivery } from '../core/delivery.js';

/**
 * To an inlong-js bridge (`bridgeUrl`): several packs per request, gzip above `minZipLen`.
 * @example const { endpoint } = createRoute(config, deps);
 */
export const createRoute: RouteFactory = (config, deps) => ({
  ...noBackground,
  endpoint: createBridgeEndpoint({
    transport: transportOf(deps),
    url: config.bridgeUrl,
    timeoutMs: config.requestTimeoutMs,
    compressor: config.enableZip ? (deps.compressor ?? (deps.zlib ? createZlibGzip(deps.zlib) : createGzip())) : undefined,
    minZipBytes: config.minZipLen,
    writeKey: config.writeKey || undefined,
  }),
});
