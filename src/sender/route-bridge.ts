import { createGzip } from '../adapters/compression/gzip.js';
import { createBridgeEndpoint } from '../dataproxy/bridge-endpoint.js';
import { noBackground, type RouteFactory } from './route.js';

/**
 * To an inlong-js bridge (`bridgeUrl`): several packs per request, gzip above `minZipLen`.
 * @example const { endpoint } = createRoute(config, deps);
 */
export const createRoute: RouteFactory = (config, deps) => ({
  ...noBackground,
  endpoint: createBridgeEndpoint({
    transport: deps.transport,
    url: config.bridgeUrl,
    timeoutMs: config.requestTimeoutMs,
    compressor: config.enableZip ? (deps.compressor ?? createGzip()) : undefined,
    minZipBytes: config.minZipLen,
    writeKey: config.writeKey || undefined,
  }),
});
