import { createSystemClock } from '../adapters/clock/system-clock.js';
import { createStreamAuth } from './auth.js';
import { gunzipCapped, readBodyCapped } from './body.js';
import { createCorsPolicy } from './cors.js';
import { handleHeartbeat, handleMessage, handleRecords, handleStats } from './dataproxy-routes.js';
import { createDedup } from './dedup.js';
import { createDestination } from './destination.js';
import { createIntake } from './intake.js';
import { createRateLimiter, resolveClientAddress } from './limits.js';
import { parseBridgeOptions, type BridgeMode, type BridgeOptions } from './options.js';
import { errorResponse, isRequestError, jsonResponse, RequestError } from './reply.js';
import { matchRoute, type RouteContext, type RouteHandler, type RouteName } from './routes.js';
import { createStats, type BridgeStats } from './stats.js';
import { handleTdClient, handleTdDebug, handleTdServer } from './thinkingdata.js';

/** A running bridge: a standard fetch handler plus its counters and lifecycle. */
export interface Bridge {
  /** Serves one request; never rejects (every failure is an HTTP answer). */
  fetch(request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  readonly mode: BridgeMode;
  /** Where packs go, for logs: `embedded sink at <file>`, `DataProxy nodes ...`, `Manager discovery at ...`. */
  describe(): string;
  stats(): BridgeStats;
  /** Stops Manager refreshes and closes the sink. */
  close(): Promise<void>;
}

const HANDLERS: Record<RouteName, RouteHandler> = {
  message: handleMessage,
  heartbeat: handleHeartbeat,
  'td-server': handleTdServer,
  'td-client': handleTdClient,
  'td-debug': handleTdDebug,
  records: handleRecords,
  stats: handleStats,
};

/**
 * The bridge as a web-standard fetch handler (Request → Response, nothing runtime-specific), so
 * one object serves Cloudflare Workers (`export default createBridge(...)`), Deno
 * (`Deno.serve((req, info) => bridge.fetch(req, undefined, { remoteAddress: info.remoteAddr.hostname }))`)
 * and Node (`startBridgeServer`). Order per request: CORS origin check → rate limit → route →
 * body caps → validation of every pack → sink; nothing is written for a refused request.
 * @example
 * const bridge = createBridge({ dataproxy: ['http://10.0.0.5:46802'], streams: ['g1/s1'], allowOrigins: ['https://app.example.com'] });
 * const response = await bridge.fetch(new Request('http://bridge/dataproxy/heartbeat'));
 */
export function createBridge(options: BridgeOptions = {}): Bridge {
  const config = parseBridgeOptions(options);
  const clock = options.clock ?? createSystemClock();
  const now = () => clock.now();
  const stats = createStats();
  const destination = createDestination(config, { clock, transport: options.transport, socket: options.socket, sink: options.sink, log: options.log });
  const cors = createCorsPolicy({ origins: config.allowOrigins, any: config.anyOrigin });
  const auth = createStreamAuth({ streams: config.streams, writeKeys: config.writeKeys });
  const dedup = createDedup({ windowMs: config.dedupWindowMs, maxEntries: config.dedupMaxEntries, now });
  const limiter = config.rateLimit ? createRateLimiter({ ...config.rateLimit, now }) : undefined;
  const intake = createIntake({ sink: () => destination.sink(), dedup, stats, log: options.log });

  const serve = async (request: Request, env: unknown, ctx: unknown, grant: Record<string, string>, isTd: { value: boolean }): Promise<Response> => {
    const url = new URL(request.url);
    const route = matchRoute(request.method, url.pathname);
    const decision = cors.check(request);
    if (route.kind === 'preflight') {
      if (decision.kind === 'denied') stats.reject('origin_denied');
      return cors.preflight(request);
    }
    if (decision.kind === 'denied') throw new RequestError(403, 'origin_denied', `origin ${decision.origin} is not allowed on this bridge`);
    if (decision.kind === 'allowed') Object.assign(grant, decision.headers);
    const clientIp = resolveClientAddress(request, env, ctx, { trustProxy: config.trustProxy, resolver: options.clientAddress });
    // No address (a runtime that gives none, without trustProxy): one shared bucket would throttle
    // everyone together, so the limit applies only where clients can be told apart.
    const verdict = limiter && clientIp !== undefined ? limiter.take(clientIp) : { allowed: true as const };
    if (!verdict.allowed) {
      const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
      throw new RequestError(429, 'rate_limited', `too many requests from this address; retry after ${seconds} s`, { headers: { 'retry-after': String(seconds) } });
    }
    if (route.kind === 'not-found') throw new RequestError(404, 'not_found', `no route ${url.pathname}`, { code: '35' });
    if (route.kind === 'method-not-allowed') {
      throw new RequestError(405, 'bad_method', `${request.method} is not allowed on ${url.pathname}`, { code: '32', headers: { allow: route.allow } });
    }
    isTd.value = route.name.startsWith('td-');
    const context: RouteContext = {
      request,
      url,
      clientIp,
      config,
      auth,
      intake,
      stats,
      sink: () => destination.sink(),
      now,
      readBody: () => readBodyCapped(request, config.maxBodyBytes),
      gunzip: (bytes) => gunzipCapped(bytes, config.maxInflatedBytes),
    };
    return HANDLERS[route.name](context);
  };

  return {
    async fetch(request, env, ctx) {
      stats.add('requests');
      const grant: Record<string, string> = {};
      const isTd = { value: false };
      let response: Response;
      try {
        response = await serve(request, env, ctx, grant, isTd);
      } catch (error) {
        if (isRequestError(error)) {
          stats.reject(error.reason);
          // ThinkingData clients read `errorLevel`; DataProxy clients read `code`. Both get what they read.
          response = errorResponse(error, isTd.value ? { errorLevel: -1 } : {});
        } else {
          stats.reject('internal');
          options.log?.(`internal error: ${error instanceof Error ? error.message : String(error)}`);
          response = jsonResponse(500, { code: '500', msg: 'internal error' });
        }
      }
      for (const [name, value] of Object.entries(grant)) response.headers.set(name, value);
      return response;
    },
    mode: config.mode,
    describe: () => destination.describe(),
    stats: () => stats.snapshot(),
    close: () => destination.close(),
  };
}
