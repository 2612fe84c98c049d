// What bench/bridge.mjs and bench/tcp.mjs share: the two streams, the request body, a DataProxy
// HTTP stand-in that answers at once, and the bare Node pass-through proxy they compare with.
import { Agent, createServer, request as httpRequest } from 'node:http';

export const STREAMS = ['bench_group/stream_a', 'bench_group/stream_b'];
export const RECORDS_PER_PACK = 10;
const OK = '{"code":"0","msg":"Ok"}';

export function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

/**
 * One multi-pack body of raw packs, as the SDK sends it; `n` makes every `#uuid` unique so dedup
 * never short-cuts the work.
 */
export function body(n) {
  return STREAMS.map((stream, pack) => {
    const [groupId, streamId] = stream.split('/');
    const records = [];
    for (let index = 0; index < RECORDS_PER_PACK; index++) {
      records.push(JSON.stringify({
        '#type': 'track', '#time': '2025-01-01 12:00:00.000', '#distinct_id': `user-${n % 997}`, '#event_name': 'view_item',
        '#uuid': `00000000-0000-4000-8000-${String(n).padStart(8, '0')}${pack}${String(index).padStart(3, '0')}`,
        properties: { '#lib': 'js', item_id: `sku-${index}`, price: 19.99, category: 'books', tags: ['a', 'b'] },
      }));
    }
    return `@groupId=${groupId}&streamId=${streamId}&dt=1735732800000&cnt=${records.length}\n${records.join('\n')}`;
  }).join('\n');
}

/** A DataProxy HTTP source that reads each whole body, as its aggregator does, then answers code 0. */
export function startHttpStub() {
  const counts = { requests: 0 };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      counts.requests++;
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'content-length': OK.length });
      res.end(OK);
    });
  });
  server.keepAliveTimeout = 60_000;
  return { server, counts };
}

/** The bare Node pass-through proxy: pipes each request to `port` on keep-alive sockets. */
export function startPassThrough(port) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const proxy = createServer((req, res) => {
    const upstream = httpRequest({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers, agent }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(error.message);
    });
    req.pipe(upstream);
  });
  proxy.keepAliveTimeout = 60_000;
  return proxy;
}
