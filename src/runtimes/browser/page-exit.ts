import type { BeaconTransport, Pack, Transport } from '../../core/types.js';
import { MULTI_PACK_CONTENT_TYPE } from '../../dataproxy/multi-pack.js';
import { messageUrl } from './browser-endpoint.js';
import type { Wire, WireBody } from './wire.js';

export interface PageExitOptions {
  /** The bridge's base URL. */
  url: string;
  /** Every pack still queued, oldest first. */
  packs: () => Pack[];
  wire: Wire;
  /** Packs already in flight with `keepalive`, and their bytes: they arrive without help. */
  keptAlive: Map<string, number>;
  /** `undefined`: no `sendBeacon` here, fetch `keepalive` instead. */
  beacon: BeaconTransport | undefined;
  transport: Transport;
  /** Bytes page exit may queue until the page is visible again. */
  budgetBytes: number;
  /** Copies of each pack, budget permitting (the extra ones after every pack went once). */
  copies: number;
  timeoutMs: number;
  onSent: (pack: Pack, bytes: number) => void;
}

/** Sends what is queued when the page goes away; `visible()` when it came back. */
export interface PageExit {
  send(): void;
  visible(): void;
}

/**
 * Page exit: every queued pack not already on its way goes to `sendBeacon` (fetch `keepalive`
 * where there is none), with the bytes compressed when the pack was formed, as a Blob typed with
 * the form content type (CORS-safelisted, so no preflight), gzip flagged in the query string. The
 * packs stay queued until a later acknowledgement: the bridge drops the repeat by `#uuid`. With
 * `copies: 2`, budget left after every pack went once sends each a second time.
 * Bytes are counted from the last time the page was visible, because `visibilitychange` and
 * `pagehide` both fire on a close and draw on the same keepalive quota (Chromium: 64 KiB in
 * flight, shared with the host page); what does not fit waits in storage for the next visit.
 * @example const exit = createPageExit({ url, packs: outbox.packs, wire, keptAlive, beacon, transport, budgetBytes: 60_000, timeoutMs: 10_000, onSent });
 */
export function createPageExit(options: PageExitOptions): PageExit {
  const sent = new Set<string>();
  let spent = 0;
  /** Queues one body; false when the beacon refused it (quota: later ones would be refused too). */
  const post = (url: string, body: WireBody['body']): boolean => {
    if (options.beacon?.send(url, body, MULTI_PACK_CONTENT_TYPE)) return true;
    // No beacon, or it refused: fetch keepalive once. A failure loses nothing, the pack stays queued.
    const request = { url, headers: { 'content-type': MULTI_PACK_CONTENT_TYPE }, body, timeoutMs: options.timeoutMs, keepalive: true };
    options.transport.send(request).catch((error: unknown) => error);
    return !options.beacon;
  };
  return {
    send() {
      let inFlight = 0;
      for (const bytes of options.keptAlive.values()) inFlight += bytes;
      const fresh: Array<[string, WireBody]> = [];
      for (const pack of options.packs()) {
        if (sent.has(pack.id) || options.keptAlive.has(pack.id)) continue;
        const wire = options.wire.now(pack);
        // A smaller pack further on may still fit.
        if (inFlight + spent + wire.bytes > options.budgetBytes) continue;
        const url = messageUrl(options.url, wire.gzip);
        if (!post(url, wire.body)) break;
        spent += wire.bytes;
        sent.add(pack.id);
        fresh.push([url, wire]);
        options.onSent(pack, wire.bytes);
      }
      // Every pack went once; spare budget buys second copies. Chromium loses about one accepted
      // beacon in a thousand when a tab closes (bench/exit.mjs); the bridge drops the repeat.
      for (let copy = 1; copy < options.copies; copy++) {
        for (const [url, wire] of fresh) {
          if (inFlight + spent + wire.bytes > options.budgetBytes || !post(url, wire.body)) return;
          spent += wire.bytes;
        }
      }
    },
    visible() {
      sent.clear();
      spent = 0;
    },
  };
}
