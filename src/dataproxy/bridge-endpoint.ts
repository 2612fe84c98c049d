import type { Endpoint } from '../core/delivery.js';
import type { Outcome } from '../core/retry-policy.js';
import type { Compressor, Transport } from '../core/types.js';
import { buildMultiPackBody, encodeMultiPackBody, MULTI_PACK_CONTENT_TYPE, MULTI_PACK_PATH, parseMultiPackReply } from './multi-pack.js';

export interface BridgeEndpointOptions {
  transport: Transport;
  /** The bridge's base URL, e.g. `https://collect.example.com`. */
  url: string;
  timeoutMs: number;
  /** Packs per request. */
  maxPacksPerCall?: number;
  /** gzip bodies longer than `minZipBytes` (C++ `enable_zip` / `min_zip_len`). */
  compressor?: Compressor;
  minZipBytes?: number;
  writeKey?: string;
}

/**
 * Sends several packs per request to an inlong-js bridge (multi-pack raw packs, gzip flagged in
 * the query string) and maps the per-pack results.
 * @example createBridgeEndpoint({ transport, url: 'http://127.0.0.1:8787', timeoutMs: 10_000 })
 */
export function createBridgeEndpoint(options: BridgeEndpointOptions): Endpoint {
  const base = options.url.replace(/\/+$/, '');
  const minZip = options.minZipBytes ?? 512;
  return {
    name: 'bridge',
    maxPacksPerCall: options.maxPacksPerCall ?? 16,
    async deliver(packs) {
      let body: string | Uint8Array | undefined;
      let url = `${base}${MULTI_PACK_PATH}`;
      if (options.compressor) {
        const bytes = encodeMultiPackBody(packs, options.writeKey);
        if (bytes.length >= minZip) {
          body = await options.compressor.gzip(bytes);
          url += '?compress=gzip';
        }
      }
      body ??= buildMultiPackBody(packs, options.writeKey);
      try {
        const response = await options.transport.send({ url, headers: { 'content-type': MULTI_PACK_CONTENT_TYPE }, body, timeoutMs: options.timeoutMs });
        return parseMultiPackReply(response.status, response.body, packs.length, response.retryAfterMs);
      } catch (error) {
        const timedOut = (error as { timedOut?: unknown })?.timedOut === true;
        const outcome: Outcome = { kind: 'network', timedOut, message: String((error as Error)?.message ?? error) };
        return packs.map(() => outcome);
      }
    },
  };
}
