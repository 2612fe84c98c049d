import { gunzipSync, gzipSync } from 'fflate';
import type { Compressor } from '../../core/types.js';

/**
 * A `Compressor` on fflate, for runtimes without `CompressionStream` (and for tests that need a
 * second, independent gzip). Output is standard gzip (RFC 1952) that any gunzip reads.
 *
 * The synchronous calls are deliberate: fflate's async `gzip`/`gunzip` spawn a Web Worker or a
 * `worker_threads` thread per call, which Cloudflare Workers do not have and which costs more
 * than compressing our packs (tens of KiB) on the spot.
 *
 * @example
 * const gzip = createFflateGzip();
 * const packed = await gzip.gzip(new TextEncoder().encode('{"#event_name":"view"}'));
 */
export function createFflateGzip(): Compressor {
  return {
    name: 'fflate',
    // async: a corrupt input becomes a rejection, like the native DecompressionStream's.
    gzip: async (data) => gzipSync(data),
    gunzip: async (data) => gunzipSync(data),
  };
}
