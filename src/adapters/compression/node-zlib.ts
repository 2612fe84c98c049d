import type { Compressor } from '../../core/types.js';

/** The part of `node:zlib` this adapter calls. */
export interface ZlibModule {
  gzip(data: Uint8Array, options: { level: number }, callback: (error: Error | null, result: Uint8Array) => void): void;
  gunzip(data: Uint8Array, callback: (error: Error | null, result: Uint8Array) => void): void;
}

/**
 * zlib's fastest level. On a server the SDK's gzip competes with the app for CPU: level 1 makes
 * JSON batches about 5 % larger than the default level 6 for half the work.
 */
const BEST_SPEED = 1;

/**
 * gzip through `node:zlib`'s one-shot calls, which run on libuv's thread pool: the event loop
 * only hands the bytes over. On Node this costs about a third of `CompressionStream`, whose web
 * streams wrap the same zlib in several layers of promises and chunks.
 * @example const compressor = createZlibGzip(process.getBuiltinModule('node:zlib'));
 */
export function createZlibGzip(zlib: ZlibModule, level = BEST_SPEED): Compressor {
  const call = (run: (done: (error: Error | null, result: Uint8Array) => void) => void): Promise<Uint8Array> =>
    new Promise((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(new Uint8Array(result.buffer, result.byteOffset, result.byteLength)))));
  return {
    name: 'node-zlib',
    gzip: (data) => call((done) => zlib.gzip(data, { level }, done)),
    gunzip: (data) => call((done) => zlib.gunzip(data, done)),
  };
}
