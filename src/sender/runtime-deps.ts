import type { Clock, Compressor, Transport } from '../core/types.js';
import type { Outbox } from '../core/outbox.js';

/** What a facade needs from its runtime. Entries (src/index.ts, src/runtimes/*) supply defaults. */
export interface RuntimeDeps {
  clock: Clock;
  /** Default: fetch through ky (`createFetchTransport()`), made when the sender's route loads. */
  transport?: Transport;
  /** gzip for bridge requests. Default: `createGzip()` (native or fflate), made when the bridge route loads. */
  compressor?: Compressor;
  /** Reads a config from a URL or path (`initApi('https://…')`, `initApi('./sdk.json')`). */
  readText?: (location: string) => Promise<string>;
  /** Where packs wait (default: memory). Deno and browsers may pass a durable one. */
  outbox?: () => Outbox;
}
