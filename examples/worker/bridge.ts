/**
 * The inlong-js bridge as a Cloudflare Worker: pages post (CORS, gzip, beacons, several streams per
 * request) to this Worker, and it forwards to DataProxy. Deploy with `npx wrangler deploy -c bridge.wrangler.toml`.
 */
import { createBridge } from 'inlong-js/bridge';

export default createBridge({
  // DataProxy HTTP nodes (or `manager: { url, groupId, authId, authKey }` for discovery).
  dataproxy: ['http://10.0.0.5:46802'],
  // Only these streams are accepted: never an open relay.
  streams: ['web_group/web_events', 'web_group/web_errors'],
  allowOrigins: ['https://shop.example.com'],
  // Cloudflare sets CF-Connecting-IP itself, so it is the client address for `#ip` and rate limits.
  clientAddress: (request) => request.headers.get('cf-connecting-ip') ?? undefined,
});
