import type { Endpoint } from '../../core/delivery.js';
import type { Outcome } from '../../core/retry-policy.js';
import type { Transport } from '../../core/types.js';
import { MULTI_PACK_CONTENT_TYPE, MULTI_PACK_PATH, parseMultiPackReply } from '../../dataproxy/multi-pack.js';
import type { Wire, WireBody } from './wire.js';

export interface BrowserEndpointOptions {
  transport: Transport;
  /** The bridge's base URL, without a trailing slash. */
  url: string;
  timeoutMs: number;
  wire: Wire;
  /** Told the size of every body sent, for stats. */
  onSent?: (body: WireBody) => void;
  /** Bodies up to this size go with fetch `keepalive`, so they outlive the page. Default 8 KiB. */
  keepaliveBytes?: number;
}

/** The bridge endpoint, plus what page exit needs to know about requests in flight. */
export interface BrowserEndpoint extends Endpoint {
  /** Packs in flight with `keepalive` (they survive the page), and their bytes. */
  keptAlive: Map<string, number>;
}

/**
 * The URL and content type for one body: gzip is flagged in the query string because `sendBeacon`
 * cannot set headers, and the form type is CORS-safelisted, so no preflight for fetch or beacon.
 * @example messageUrl('https://collect.example.com', true) // '.../dataproxy/message?compress=gzip'
 */
export const messageUrl = (base: string, gzip: boolean): string => `${base}${MULTI_PACK_PATH}${gzip ? '?compress=gzip' : ''}`;

/**
 * Sends one pack per request to the bridge, with the bytes the `Wire` compressed when the pack was
 * formed (a pack per request, because gzip members cannot simply be concatenated for the
 * bridge's `DecompressionStream`). Small bodies go with `keepalive`: a request under way when the
 * page navigates away still arrives, and page exit need not send that pack again. Large ones do
 * not, because `keepalive` bodies share the page's 64 KiB quota (Chromium rejects past it).
 * @example createBrowserEndpoint({ transport, url: 'https://collect.example.com', timeoutMs: 10_000, wire })
 */
export function createBrowserEndpoint(options: BrowserEndpointOptions): BrowserEndpoint {
  const keptAlive = new Map<string, number>();
  return {
    keptAlive,
    name: 'bridge',
    maxPacksPerCall: 1,
    async deliver(packs) {
      const outcomes: Outcome[] = [];
      for (const pack of packs) {
        const wire = await options.wire.body(pack);
        const keepalive = wire.bytes <= (options.keepaliveBytes ?? 8192);
        if (keepalive) keptAlive.set(pack.id, wire.bytes);
        try {
          const response = await options.transport.send({
            url: messageUrl(options.url, wire.gzip),
            headers: { 'content-type': MULTI_PACK_CONTENT_TYPE },
            body: wire.body,
            timeoutMs: options.timeoutMs,
            keepalive,
          });
          options.onSent?.(wire);
          outcomes.push(...parseMultiPackReply(response.status, response.body, 1, response.retryAfterMs));
        } catch (error) {
          const timedOut = (error as { timedOut?: unknown } | null)?.timedOut === true;
          outcomes.push({ kind: 'network', timedOut, message: String((error as Error | null)?.message ?? error) });
        } finally {
          keptAlive.delete(pack.id);
        }
      }
      return outcomes;
    },
  };
}
