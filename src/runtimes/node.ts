/**
 * `inlong-js/node`: the root API (`TDAnalytics`, the consumers, `InLongApi`, codes, errors) for
 * Node, where `LoggingConsumer` writes through `node:fs`, plus the bridge as an HTTP server
 * (`startBridgeServer`, what `npx inlong-js bridge` runs) and its file sink.
 * @example
 * import { TDAnalytics, LoggingConsumer, startBridgeServer } from 'inlong-js/node';
 * const td = new TDAnalytics(new LoggingConsumer({ directory: '/var/log/td', rotateHourly: true }));
 * td.track({ distinctId: 'd1', event: 'login' });
 * await td.close();
 * const server = await startBridgeServer({ port: 8787, dataproxy: ['http://10.0.0.5:46802'], streams: ['g/s'] });
 */
export * from '../index.js';
export { createBridge, type Bridge, type BridgeOptions } from '../bridge/index.js';
export { startBridgeServer, type BridgeServer, type BridgeServerOptions } from '../bridge/node-server.js';
export { createNodeFileSink, type NodeFileSinkOptions } from '../bridge/node-file-sink.js';
export { createNodeFileSystem, hasNodeFileSystem, type NodeFileSystem } from '../adapters/file/node-fs.js';
