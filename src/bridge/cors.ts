/** What the CORS layer decided for one request. */
export type CorsDecision =
  /** No `Origin` header: not a cross-origin browser request (server clients, same-origin GETs). */
  | { kind: 'none' }
  | { kind: 'allowed'; headers: Record<string, string> }
  | { kind: 'denied'; origin: string };

export interface CorsPolicy {
  /** Decides for a request's `Origin`; `allowed` carries the grant headers for every reply. */
  check(request: Request): CorsDecision;
  /** The `OPTIONS` preflight answer (204 with grants, or 403 with none). */
  preflight(request: Request): Response;
}

// Only what the SDK and ThinkingData clients send; anything else in a preflight is not granted.
const ALLOWED_HEADERS = ['content-type', 'content-encoding', 'appid', 'compress', 'ta-integration-type', 'ta-integration-version', 'ta-integration-count'];

/**
 * CORS for an allowlist of origins. DataProxy has none (spec 1.10), so the bridge is where a
 * page gets its grant. A request from an origin not on the list gets no grant headers and is
 * refused by the handler — simple (non-preflighted) POSTs reach the server anyway, so a missing
 * grant alone would not stop the data.
 * @example
 * const cors = createCorsPolicy({ origins: new Set(['https://app.example.com']), any: false });
 * cors.check(request); // { kind: 'allowed', headers: { 'access-control-allow-origin': 'https://app.example.com', ... } }
 */
export function createCorsPolicy(options: { origins: ReadonlySet<string>; any: boolean }): CorsPolicy {
  const check = (request: Request): CorsDecision => {
    const origin = request.headers.get('origin');
    if (origin === null) return { kind: 'none' };
    const allowed = options.any || options.origins.has(origin.toLowerCase());
    if (!allowed) return { kind: 'denied', origin };
    return {
      kind: 'allowed',
      headers: {
        // Echo the one origin (never `*` with a list) and say the answer varies by it, so
        // caches do not hand one origin's grant to another.
        'access-control-allow-origin': origin,
        vary: 'Origin',
        'access-control-expose-headers': 'Retry-After',
      },
    };
  };

  return {
    check,
    preflight(request) {
      const decision = check(request);
      if (decision.kind !== 'allowed') {
        return new Response(null, { status: decision.kind === 'denied' ? 403 : 204, headers: { vary: 'Origin' } });
      }
      const asked = (request.headers.get('access-control-request-headers') ?? '')
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter((name) => ALLOWED_HEADERS.includes(name));
      return new Response(null, {
        status: 204,
        headers: {
          ...decision.headers,
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': asked.join(', ') || 'content-type',
          'access-control-max-age': '86400',
        },
      });
    },
  };
}
