import { createSystemClock } from '../adapters/clock/system-clock.js';
import { createGzip } from '../adapters/compression/gzip.js';
import { builtinZlib, createZlibGzip } from '../adapters/compression/node-zlib.js';
import { createFetchTransport } from '../adapters/transport/fetch.js';
import type { Compressor } from '../core/types.js';
import type { RuntimeDeps } from '../sender/runtime-deps.js';

interface DenoFiles {
  readTextFile(path: string | URL): Promise<string>;
}

/**
 * Defaults that work wherever `fetch` exists (Node 20+, Deno, Workers, browsers): the system
 * clock, fetch through ky, gzip (node:zlib, native or fflate), and a config reader for URLs and paths.
 * @example new InLongApiCore({ ...portableDeps(), transport: myTransport })
 */
export function portableDeps(overrides: Partial<RuntimeDeps> = {}): RuntimeDeps {
  return {
    clock: overrides.clock ?? createSystemClock(),
    transport: overrides.transport ?? createFetchTransport(),
    compressor: overrides.compressor ?? defaultGzip(),
    readText: overrides.readText ?? readText,
    ...(overrides.outbox ? { outbox: overrides.outbox } : {}),
  };
}

/**
 * Node and Deno: their own zlib, one call per body on the thread pool (a third of the cost of
 * `CompressionStream` there). Elsewhere the runtime's `CompressionStream`, or fflate.
 */
function defaultGzip(): Compressor {
  const zlib = builtinZlib();
  return zlib ? createZlibGzip(zlib) : createGzip();
}

async function readText(location: string): Promise<string> {
  if (/^https?:\/\//i.test(location)) {
    const response = await globalThis.fetch(location);
    if (!response.ok) throw new Error(`GET ${location} answered HTTP ${response.status}`);
    return response.text();
  }
  const path = location.startsWith('file:') ? new URL(location) : location;
  const deno = (globalThis as { Deno?: DenoFiles }).Deno;
  if (typeof deno?.readTextFile === 'function') return deno.readTextFile(path);
  if (typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string') {
    const fs = await import('node:fs/promises');
    return fs.readFile(path, 'utf8');
  }
  throw new Error(`no file system in this runtime to read ${location}`);
}
