import { createSystemClock } from '../adapters/clock/system-clock.js';
import { builtinZlib } from '../adapters/compression/builtin-zlib.js';
import { ConfigError } from '../core/errors/config-error.js';
import type { RuntimeDeps } from '../sender/runtime-deps.js';

/**
 * Defaults that work wherever `fetch` exists (Node 20+, Deno, Workers, browsers): the system
 * clock, a config reader for URLs and paths, and on Node and Deno their own zlib. Transport
 * (fetch through ky) and gzip (that zlib, else native or fflate) are made by the sender's route
 * when it loads (src/sender/route.ts), so a first `track`/`send` waits for neither; a runtime
 * without fetch is still told so here, at creation.
 * @example new InLongApiCore({ ...portableDeps(), transport: myTransport })
 */
export function portableDeps(overrides: Partial<RuntimeDeps> = {}): RuntimeDeps {
  if (!overrides.transport && typeof globalThis.fetch !== 'function') throw new ConfigError('fetch', 'this runtime has no fetch; pass one');
  return {
    ...overrides,
    clock: overrides.clock ?? createSystemClock(),
    zlib: overrides.zlib ?? builtinZlib(),
    readText: overrides.readText ?? ((location) => import('./read-text.js').then((module) => module.readText(location))),
  };
}
