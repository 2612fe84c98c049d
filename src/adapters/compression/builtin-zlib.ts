import type { ZlibModule } from './node-zlib.js';

interface ProcessWithBuiltins {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * The running Node's (20.16+) or Deno's own `node:zlib`, found through
 * `process.getBuiltinModule`: no `import` a browser bundler would try to resolve. `undefined`
 * elsewhere, where the runtime's `CompressionStream` or fflate serve.
 * @example const zlib = builtinZlib(); const compressor = zlib ? createZlibGzip(zlib) : createGzip();
 */
export function builtinZlib(): ZlibModule | undefined {
  const process = (globalThis as { process?: ProcessWithBuiltins }).process;
  const zlib = typeof process?.getBuiltinModule === 'function' ? (process.getBuiltinModule('node:zlib') as ZlibModule | undefined) : undefined;
  return typeof zlib?.gzip === 'function' ? zlib : undefined;
}
