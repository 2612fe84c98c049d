import type { ClientAddressResolver, RateLimitSettings } from './options.js';

/** The verdict of the rate limiter for one request. */
export type RateVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface RateLimiter {
  /** Takes one token for `key` (a client address). */
  take(key: string): RateVerdict;
  /** Buckets held right now (bounded by `maxClients`). */
  size(): number;
}

export interface RateLimiterOptions extends RateLimitSettings {
  now: () => number;
  /** Most client buckets kept; the least recently seen go first. Default 10,000. */
  maxClients?: number;
}

/**
 * A token bucket per client: `requests` at once, refilled continuously at `requests` per
 * `windowMs`. Memory is bounded: beyond `maxClients` the least recently seen bucket goes (it
 * would have refilled the most by now anyway).
 * @example
 * const limiter = createRateLimiter({ requests: 100, windowMs: 60_000, now: Date.now });
 * const verdict = limiter.take('203.0.113.7'); // { allowed: true }
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const capacity = options.requests;
  const perMs = options.requests / options.windowMs;
  const maxClients = options.maxClients ?? 10_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  return {
    take(key) {
      const now = options.now();
      const bucket = buckets.get(key);
      let tokens = capacity;
      if (bucket) {
        tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * perMs);
        // Re-insert so Map order is least-recently-seen first.
        buckets.delete(key);
      }
      if (tokens < 1) {
        buckets.set(key, { tokens, at: now });
        return { allowed: false, retryAfterMs: Math.ceil((1 - tokens) / perMs) };
      }
      buckets.set(key, { tokens: tokens - 1, at: now });
      while (buckets.size > maxClients) {
        const oldest = buckets.keys().next();
        if (oldest.done) break;
        buckets.delete(oldest.value);
      }
      return { allowed: true };
    },
    size: () => buckets.size,
  };
}

/**
 * The address a request came from. The injected resolver wins; otherwise `ctx.remoteAddress`
 * (set by the Node server and by `Deno.serve` glue from the socket), and the proxy headers
 * only when `trustProxy` is set — a client can write any `X-Forwarded-For` it likes.
 * @example resolveClientAddress(request, undefined, { remoteAddress: '::ffff:127.0.0.1' }, { trustProxy: false }) // '127.0.0.1'
 */
export function resolveClientAddress(
  request: Request,
  env: unknown,
  ctx: unknown,
  options: { trustProxy: boolean; resolver?: ClientAddressResolver },
): string | undefined {
  const found = options.resolver ? options.resolver(request, env, ctx) : fromProxy(request, options.trustProxy) ?? fromContext(ctx);
  return found ? normalizeAddress(found) : undefined;
}

function fromProxy(request: Request, trustProxy: boolean): string | undefined {
  if (!trustProxy) return undefined;
  const cloudflare = request.headers.get('cf-connecting-ip');
  if (cloudflare) return cloudflare;
  // The left-most entry is the original client; each proxy appends the peer it saw.
  return request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || undefined;
}

function fromContext(ctx: unknown): string | undefined {
  const address = (ctx as { remoteAddress?: unknown } | undefined)?.remoteAddress;
  return typeof address === 'string' && address !== '' ? address : undefined;
}

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) is just `1.2.3.4`. */
function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  return trimmed.toLowerCase().startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed;
}
