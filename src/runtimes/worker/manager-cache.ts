import type { Transport, TransportResponse } from '../../core/types.js';

interface CachedReply {
  response: TransportResponse;
  expires: number;
}

/**
 * Node lists remembered by this isolate: `url + authorization` → the Manager's reply.
 * @example cache.set(key, { status: 200, body }, Date.now() + 120_000); cache.get(key, Date.now());
 */
export interface ManagerReplyCache {
  get(key: string, now: number): TransportResponse | undefined;
  set(key: string, response: TransportResponse, expires: number): void;
}

const MAX_ENTRIES = 64;

/**
 * A small bounded map of Manager replies. It holds plain data only (status and body text): in
 * Workers, I/O objects of one request cannot be used by another ("Cannot perform I/O on behalf
 * of a different request"), and a promise created by a request that has ended is cancelled for
 * whoever awaits it; strings are safe to share.
 * @example const cache = createManagerReplyCache();
 */
export function createManagerReplyCache(): ManagerReplyCache {
  const entries = new Map<string, CachedReply>();
  return {
    get(key, now) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expires > now) return entry.response;
      entries.delete(key);
      return undefined;
    },
    set(key, response, expires) {
      entries.delete(key);
      entries.set(key, { response, expires });
      // Maps iterate in insertion order: the first key is the oldest.
      const oldest = entries.keys().next();
      if (entries.size > MAX_ENTRIES && oldest.done !== true) entries.delete(oldest.value);
    },
  };
}

/**
 * Options of {@link withManagerCache}.
 * @example { managerUrl: 'http://manager:8083/inlong/manager/openapi/dataproxy/getIpList', ttlMs: 120_000, now: Date.now, cache }
 */
export interface CachingTransportOptions {
  /** The Manager getIpList base URL; only requests under it are cached. */
  managerUrl: string;
  /** How long a node list is reused, ms (the sender's `managerUpdateIntervalMs`). */
  ttlMs: number;
  now: () => number;
  cache: ManagerReplyCache;
}

/**
 * Wraps a transport so Manager discovery answers from the isolate's cache while it is fresh.
 * A per-request client would otherwise ask the Manager on every request: one extra subrequest
 * each time, and Workers cap subrequests per request.
 * @example const transport = withManagerCache(createFetchTransport(), { managerUrl, ttlMs: 120_000, now: Date.now, cache });
 */
export function withManagerCache(inner: Transport, options: CachingTransportOptions): Transport {
  const base = options.managerUrl.replace(/\/+$/, '');
  return {
    name: inner.name,
    async send(request) {
      if (!request.url.startsWith(`${base}/`)) return inner.send(request);
      const authorization = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1] ?? '';
      const key = `${request.url}\n${authorization}`;
      const cached = options.cache.get(key, options.now());
      if (cached) return cached;
      const response = await inner.send(request);
      // Only a usable reply is remembered; a failure is asked again by the next request.
      if (isGoodReply(response)) options.cache.set(key, response, options.now() + options.ttlMs);
      return response;
    },
  };
}

function isGoodReply(response: TransportResponse): boolean {
  if (response.status !== 200) return false;
  try {
    return (JSON.parse(response.body) as { success?: unknown } | null)?.success === true;
  } catch {
    // Not JSON: discovery itself reports the bad reply; there is nothing worth remembering.
    return false;
  }
}
