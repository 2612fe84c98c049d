import { withInLong, type InLongEnv } from 'inlong-js/worker';

/** Bindings from wrangler.toml `[vars]` and secrets; add your own (KV, D1, …) here. */
type Env = InLongEnv;

export default withInLong<Env>({
  async fetch(request, env, _ctx, inlong) {
    const url = new URL(request.url);
    if (url.pathname === '/health') {
      inlong.skipRequestEvent();
      return new Response('ok');
    }
    // Who the events are about; without it each request gets a random distinct id.
    const user = request.headers.get('x-user-id');
    if (user) inlong.identify({ accountId: user });
    inlong.requestProperties.route = url.pathname.split('/')[1] || 'home';

    if (url.pathname === '/buy') {
      const item = url.searchParams.get('item') ?? 'unknown';
      inlong.track('purchase', { item, price: Number(url.searchParams.get('price') ?? 0) });
      // A raw line to another stream, as with the C++/Python InLong SDK.
      inlong.api.send(env.INLONG_GROUP_ID ?? 'web_group', 'orders_raw', `buy|${item}`);
    } else if (url.pathname !== '/') {
      return new Response('not found', { status: 404 });
    }
    // Returned at once: the events leave in ctx.waitUntil after this response is out.
    return Response.json({ ok: true, path: url.pathname });
  },
});
