import { createManagerReplyCache, type ManagerReplyCache } from './manager-cache.js';
import { createRequestClient, type InLongRequestClient } from './request-client.js';
import { resolveSettings, type WithInLongOptions } from './settings.js';

/**
 * The part of a Worker's `ExecutionContext` the middleware uses (`@cloudflare/workers-types`
 * fits it, so Workers projects keep their own types).
 * @example withInLong<Env, ExecutionContext>({ fetch: (request, env, ctx, inlong) => new Response('ok') })
 */
export interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException?(): void;
}

/**
 * A Worker module whose `fetch` takes the per-request InLong client as a fourth argument; its
 * other handlers (`scheduled`, `queue`, …) are kept unchanged.
 * @example
 * const handler: InLongHandler<Env> = { fetch: (request, env, ctx, inlong) => new Response('ok'), scheduled: async () => {} };
 */
export interface InLongHandler<Env = unknown, Ctx extends WorkerExecutionContext = WorkerExecutionContext> {
  fetch(request: Request, env: Env, ctx: Ctx, inlong: InLongRequestClient): Response | Promise<Response>;
  [handler: string]: unknown;
}

/**
 * The wrapped module: `fetch` has the standard Workers signature; other handlers pass through.
 * @example const worker: WithInLongHandler<Env> = withInLong<Env>(handler); export default worker;
 */
export interface WithInLongHandler<Env = unknown, Ctx extends WorkerExecutionContext = WorkerExecutionContext> {
  fetch(request: Request, env: Env, ctx: Ctx): Promise<Response>;
  [handler: string]: unknown;
}

/**
 * Wraps a Worker's `export default { fetch }` so its `fetch` gets a per-request InLong client
 * (`td`, `api`, `track`, …) as a fourth argument. Events are batched during the request and
 * flushed in `ctx.waitUntil` after the response is returned, so the response never waits for
 * DataProxy. Unless turned off, one `http_request` event per request records method, path,
 * status, duration and `#country`. Configuration comes from the `INLONG_*` bindings of `env`
 * (see `InLongEnv`), with `options` winning; pass a function to derive options from `env`.
 * Other handlers (`scheduled`, `queue`, …) are kept as they are.
 *
 * `duration_ms` is what the Workers clock says, and Workers advance `Date.now()` only across
 * I/O (a Spectre mitigation): CPU-only handlers report 0.
 * @example
 * import { withInLong } from 'inlong-js/worker';
 *
 * export default withInLong({
 *   async fetch(request, env, ctx, inlong) {
 *     inlong.track('page_view', { path: new URL(request.url).pathname });
 *     return new Response('hello');
 *   },
 * }, { requestEvent: { event: 'http_request' } });
 */
export function withInLong<Env = unknown, Ctx extends WorkerExecutionContext = WorkerExecutionContext>(
  handler: InLongHandler<Env, Ctx>,
  options: WithInLongOptions | ((env: Env) => WithInLongOptions) = {},
): WithInLongHandler<Env, Ctx> {
  // Plain data only, shared by the requests of this isolate (see manager-cache.ts); made on
  // first use so that importing or wrapping does nothing.
  let managerReplies: ManagerReplyCache | undefined;

  const fetch = async (request: Request, env: Env, ctx: Ctx): Promise<Response> => {
    const settings = resolveSettings(env, typeof options === 'function' ? options(env) : options);
    managerReplies ??= createManagerReplyCache();
    const control = createRequestClient(settings, request, managerReplies);
    const clock = settings.deps.clock;
    const now = (): number => (clock ? clock.now() : Date.now());
    const started = now();
    let response: Response;
    try {
      response = await handler.fetch(request, env, ctx, control.client);
    } catch (error) {
      control.finish({ request, status: 500, durationMs: now() - started, error });
      ctx.waitUntil(control.close());
      throw error;
    }
    control.finish({ request, status: response.status, durationMs: now() - started });
    ctx.waitUntil(control.close());
    return response;
  };

  return { ...handler, fetch };
}
