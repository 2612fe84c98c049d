import type { Clock, Compressor, Transport } from '../core/types.js';

/** What a facade needs from its runtime. Entries (src/index.ts, src/runtimes/*) supply defaults. */
export interface RuntimeDeps {
  clock: Clock;
  transport: Transport;
  compressor?: Compressor;
  /** Reads a config from a URL or path (`initApi('https://…')`, `initApi('./sdk.json')`). */
  readText?: (location: string) => Promise<string>;
}
