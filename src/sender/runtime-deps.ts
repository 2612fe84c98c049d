import type { Clock, Compressor, SocketConnector, Transport } from '../core/types.js';
import type { Outbox } from '../core/outbox.js';
import type { ZlibModule } from '../adapters/compression/node-zlib.js';

/** What a facade needs from its runtime. Entries (src/index.ts, src/runtimes/*) supply defaults. */
export interface RuntimeDeps {
  clock: Clock;
  /** Default: fetch through ky (`createFetchTransport()`), made when the sender's route loads. */
  transport?: Transport;
  /**
   * gzip for bridge requests. Default, made when the bridge route loads: `zlib` at level 1 when
   * given, else `createGzip()` (native or fflate).
   */
  compressor?: Compressor;
  /**
   * The runtime's `node:zlib` (Node, Deno). On Node it gzips at a third of what
   * `CompressionStream` costs there, one call per body on the thread pool.
   */
  zlib?: ZlibModule;
  /**
   * TCP sockets for `tcp://` DataProxy nodes. Default, made when the TCP route loads: the
   * runtime's own (`Deno.connect`, `node:net`, Cloudflare's `connect()`), by feature.
   */
  socket?: SocketConnector;
  /** Reads a config from a URL or path (`initApi('https://…')`, `initApi('./sdk.json')`). */
  readText?: (location: string) => Promise<string>;
  /** Where packs wait (default: memory). Deno and browsers may pass a durable one. */
  outbox?: () => Outbox;
}
