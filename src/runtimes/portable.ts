import { createSystemClock } from '../adapters/clock/system-clock.js';
import { createLazyFetchTransport } from '../adapters/transport/lazy-fetch.js';
import type { RuntimeDeps } from '../sender/runtime-deps.js';

/**
 * Defaults that work wherever `fetch` exists (Node 20+, Deno, Workers, browsers): the system
 * clock, fetch through ky, gzip (native or fflate, see route-bridge.ts), and a config reader for
 * URLs and paths. ky and the config reader are loaded on first use (a request; a config given as
 * a location).
 * @example new InLongApiCore({ ...portableDeps(), transport: myTransport })
 */
export function portableDeps(overrides: Partial<RuntimeDeps> = {}): RuntimeDeps {
  return {
    clock: overrides.clock ?? createSystemClock(),
    transport: overrides.transport ?? createLazyFetchTransport(),
    // No compressor by default: the bridge route, the only user, makes one when it loads.
    ...(overrides.compressor ? { compressor: overrides.compressor } : {}),
    readText: overrides.readText ?? ((location) => import('./read-text.js').then((module) => module.readText(location))),
    ...(overrides.outbox ? { outbox: overrides.outbox } : {}),
  };
}
