import { ConfigError } from '../../core/errors/config-error.js';
import type { Compressor } from '../../core/types.js';

export interface GzipOptions {
  /**
   * `true`: require the runtime's `CompressionStream` (throws where it is missing). `false`: always
   * use fflate. Default: native where the runtime has it, fflate otherwise.
   */
  native?: boolean;
}

/**
 * A `Compressor` that uses the runtime's own `CompressionStream('gzip')` /
 * `DecompressionStream('gzip')` (browsers, Deno, Workers, Node ≥ 18) and falls back to fflate only
 * where they are missing. fflate is loaded with a dynamic `import()` on first use, so bundlers put
 * it in its own chunk and runtimes with native gzip never download or parse it. Both produce
 * standard gzip (RFC 1952) and read each other's output.
 *
 * @example
 * const compressor = createGzip();
 * const body = await compressor.gzip(new TextEncoder().encode(records.join('\n')));
 * compressor.name; // 'compression-stream' in browsers, 'fflate' where there is no native gzip
 */
export function createGzip(options: GzipOptions = {}): Compressor {
  const hasNative = supportsCompressionStream();
  if (options.native === true && !hasNative) {
    throw new ConfigError('native', 'this runtime has no CompressionStream; leave it unset to use fflate');
  }
  return (options.native ?? hasNative) ? createNativeGzip() : createLazyFflateGzip();
}

function supportsCompressionStream(): boolean {
  return typeof globalThis.CompressionStream === 'function' && typeof globalThis.DecompressionStream === 'function';
}

function createNativeGzip(): Compressor {
  return {
    name: 'compression-stream',
    gzip: (data) => pipe(data, new CompressionStream('gzip')),
    gunzip: (data) => pipe(data, new DecompressionStream('gzip')),
  };
}

async function pipe(data: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([toBlobPart(data)]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function createLazyFflateGzip(): Compressor {
  let loading: Promise<Compressor> | undefined;
  const load = (): Promise<Compressor> => {
    loading ??= import('./fflate.js').then(
      (module) => module.createFflateGzip(),
      (error: unknown) => {
        // A failed chunk load (offline page, deploy in between) must not stick forever.
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  return {
    name: 'fflate',
    gzip: async (data) => (await load()).gzip(data),
    gunzip: async (data) => (await load()).gunzip(data),
  };
}

/** BlobPart wants ArrayBuffer-backed bytes; a view on a SharedArrayBuffer is copied. */
function toBlobPart(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return isArrayBufferBacked(bytes) ? bytes : new Uint8Array(bytes);
}

function isArrayBufferBacked(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer;
}
