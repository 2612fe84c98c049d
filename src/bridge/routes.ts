import type { StreamAuth } from './auth.js';
import type { Intake } from './intake.js';
import type { BridgeConfig } from './options.js';
import type { Sink } from './sink.js';
import type { StatsCounter } from './stats.js';

/** The routes the bridge serves. */
export type RouteName = 'message' | 'heartbeat' | 'td-server' | 'td-client' | 'td-debug' | 'records' | 'stats';

export type RouteMatch =
  | { kind: 'route'; name: RouteName }
  | { kind: 'preflight' }
  | { kind: 'method-not-allowed'; allow: string }
  | { kind: 'not-found' };

const ROUTES: ReadonlyArray<{ path: string; methods: readonly string[]; name: RouteName }> = [
  // DataProxy's own endpoints (spec 1.2): GET and POST, as the real server.
  { path: '/dataproxy/message', methods: ['GET', 'POST'], name: 'message' },
  { path: '/dataproxy/heartbeat', methods: ['GET', 'POST'], name: 'heartbeat' },
  // ThinkingData receiver endpoints (spec/thinkingdata.md); `/logagent` is what clients before
  // 1.3.0 posted to, `/sync_js` is the web SDK's, `/sync_data` the app SDKs'.
  { path: '/sync_server', methods: ['POST'], name: 'td-server' },
  { path: '/logagent', methods: ['POST'], name: 'td-server' },
  { path: '/sync_data', methods: ['POST'], name: 'td-client' },
  { path: '/sync_js', methods: ['GET', 'POST'], name: 'td-client' },
  { path: '/data_debug', methods: ['POST'], name: 'td-debug' },
  // The bridge's own: what the embedded sink holds (for the playground), and counters.
  { path: '/inlong/records', methods: ['GET'], name: 'records' },
  { path: '/inlong/stats', methods: ['GET'], name: 'stats' },
];

/**
 * Finds the route for a method and path (query ignored, one trailing slash tolerated).
 * @example matchRoute('POST', '/dataproxy/message') // { kind: 'route', name: 'message' }
 */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const path = pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname;
  const route = ROUTES.find((candidate) => candidate.path === path);
  if (!route) return { kind: 'not-found' };
  if (method === 'OPTIONS') return { kind: 'preflight' };
  if (!route.methods.includes(method)) return { kind: 'method-not-allowed', allow: [...route.methods, 'OPTIONS'].join(', ') };
  return { kind: 'route', name: route.name };
}

/** What a route handler gets: the request and the bridge's parts. */
export interface RouteContext {
  request: Request;
  url: URL;
  /** The real client address (see `limits.ts`), when known. */
  clientIp: string | undefined;
  config: BridgeConfig;
  auth: StreamAuth;
  intake: Intake;
  stats: StatsCounter;
  sink(): Sink;
  now(): number;
  /** The body on the wire, capped at `maxBodyBytes` (413). */
  readBody(): Promise<Uint8Array>;
  /** gunzip capped at `maxInflatedBytes` (413); a cut or corrupt stream is 400. */
  gunzip(bytes: Uint8Array): Promise<Uint8Array>;
}

export type RouteHandler = (context: RouteContext) => Promise<Response>;
