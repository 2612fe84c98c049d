import type { BeaconTransport } from '../../core/types.js';

/** The shape of `navigator.sendBeacon`, so tests and other runtimes can pass their own. */
export type SendBeacon = (url: string, data: BodyInit) => boolean;

export interface BeaconTransportOptions {
  /** Default: `navigator.sendBeacon` bound to `navigator`, when the runtime has it. */
  sendBeacon?: SendBeacon;
}

/**
 * A `BeaconTransport` over `navigator.sendBeacon`, for page exit: the browser keeps the request
 * alive after the page is gone. Returns `undefined` where there is no beacon (Workers, Deno, Node,
 * old browsers), so the caller falls back to fetch `keepalive`.
 *
 * The body is sent as a `Blob` typed exactly with `contentType`: a string or `URLSearchParams`
 * body would be labelled `text/plain;charset=UTF-8` / `application/x-www-form-urlencoded;charset=UTF-8`
 * by the Beacon spec, and DataProxy rejects the `;charset` suffix.
 *
 * Only `text/plain`, `application/x-www-form-urlencoded` and `multipart/form-data` are
 * CORS-safelisted. Any other type (`application/json`, gzip types) needs a preflight that
 * beacons cannot wait for: browsers then refuse or throw, so cross-origin beacons should use
 * `text/plain` or the form type and flag gzip in the query string instead.
 *
 * @example
 * const beacon = createBeaconTransport();
 * const queued = beacon?.send(
 *   'https://bridge.example.com/dataproxy/message',
 *   'groupId=g&streamId=s&dt=1700000000000&cnt=1&body=%7B%7D',
 *   'application/x-www-form-urlencoded',
 * ) ?? false;
 */
export function createBeaconTransport(options: BeaconTransportOptions = {}): BeaconTransport | undefined {
  const sendBeacon = options.sendBeacon ?? detectSendBeacon();
  if (sendBeacon === undefined) return undefined;
  return {
    name: 'beacon',
    send(url: string, body: Uint8Array | string, contentType: string): boolean {
      // BlobPart wants ArrayBuffer-backed bytes: the copy also covers a view on a SharedArrayBuffer.
      const blob = new Blob([typeof body === 'string' ? body : new Uint8Array(body)], { type: contentType });
      try {
        return sendBeacon(url, blob);
      } catch {
        // Chromium throws (instead of returning false) for a non-safelisted Blob type and for a
        // URL it cannot parse. The contract is "false = refused", and the records stay in the
        // outbox either way, so the error itself carries nothing the caller could act on.
        return false;
      }
    },
  };
}

function detectSendBeacon(): SendBeacon | undefined {
  const nav = globalThis.navigator;
  // Bound: sendBeacon throws "Illegal invocation" when called without `this === navigator`.
  return typeof nav?.sendBeacon === 'function' ? nav.sendBeacon.bind(nav) : undefined;
}
