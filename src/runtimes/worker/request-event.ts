/**
 * How the automatic per-request event looks.
 * @example withInLong(handler, { requestEvent: { event: 'edge_request', ip: true } })
 */
export interface RequestEventOptions {
  /** Event name. Default `http_request`. */
  event?: string;
  /** Also send the client address (`CF-Connecting-IP`) as `#ip`. Default false: `#country` is sent anyway. */
  ip?: boolean;
}

/**
 * What the middleware knows about one finished request.
 * @example const outcome: RequestOutcome = { request, status: 404, durationMs: 12 };
 */
export interface RequestOutcome {
  request: Request;
  status: number;
  durationMs: number;
  /** The handler threw (the response is then Cloudflare's 500). */
  error?: unknown;
}

/** The Workers-only fields of `request.cf` that the event uses. */
interface CfProperties {
  country?: unknown;
  colo?: unknown;
}

/**
 * Properties of the automatic request event: `method`, `path`, `status`, `duration_ms`,
 * `#country` (from `request.cf.country`, which Cloudflare fills from the client address) and
 * `colo`, plus `error` when the handler threw. `#ip` is returned apart because it is a
 * top-level record field.
 * @example requestEventProperties({ request, status: 200, durationMs: 12 }, {})
 */
export function requestEventProperties(outcome: RequestOutcome, options: RequestEventOptions): { properties: Record<string, unknown>; ip?: string } {
  const { request } = outcome;
  const url = new URL(request.url);
  const cf = (request as Request & { cf?: CfProperties }).cf;
  const properties: Record<string, unknown> = {
    method: request.method,
    path: url.pathname,
    status: outcome.status,
    duration_ms: Math.max(0, outcome.durationMs),
  };
  if (typeof cf?.country === 'string' && cf.country !== '') properties['#country'] = cf.country;
  if (typeof cf?.colo === 'string' && cf.colo !== '') properties.colo = cf.colo;
  if (outcome.error !== undefined) properties.error = describe(outcome.error);
  const ip = options.ip === true ? (request.headers.get('cf-connecting-ip') ?? undefined) : undefined;
  return ip === undefined ? { properties } : { properties, ip };
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  return String(error).slice(0, 500);
}
