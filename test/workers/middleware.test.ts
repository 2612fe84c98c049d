/**
 * `withInLong` inside workerd: the example Worker (examples/worker) answers before DataProxy
 * has acknowledged anything, and its events then arrive, once each, at a fixture on 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startDataProxy, startTrackedServer, type DataProxyNode } from '../helpers/dataproxy-fixture.js';
import { startBridgeServer } from '../../src/bridge/node-server.js';
import { bundle, readWranglerToml, requireDist, startWorker, waitFor, type WranglerConfig } from './support.js';

type Record = { [key: string]: unknown; properties: { [key: string]: unknown } };

let example: string;
let wrangler: WranglerConfig;
let dp: DataProxyNode;
const workers: Miniflare[] = [];
const servers: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  requireDist('worker.js');
  wrangler = readWranglerToml('examples/worker/wrangler.toml');
  example = await bundle({ entry: `examples/worker/${wrangler.main}` });
  dp = await startDataProxy();
  servers.push(dp);
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.dispose()));
  dp.clearFaults();
  dp.clear();
});
afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/** Starts the example and waits until workerd is up, so timings measure requests, not startup. */
async function exampleWorker(vars: { [name: string]: string } = {}): Promise<Miniflare> {
  const worker = startWorker({
    script: example,
    compatibilityDate: wrangler.compatibilityDate,
    compatibilityFlags: wrangler.compatibilityFlags,
    bindings: { ...wrangler.vars, INLONG_DATAPROXY_URLS: dp.url, ...vars },
  });
  workers.push(worker);
  await worker.ready;
  return worker;
}

const parsed = (stream: string): Record[] => dp.received.filter((item) => item.streamId === stream).flatMap((item) => item.records.map((line) => JSON.parse(line) as Record));
const messageRequests = () => dp.requests.filter((request) => request.url.startsWith('/dataproxy/message'));

describe('withInLong in workerd (examples/worker)', () => {
  it('answers before DataProxy acknowledges, then delivers every event once', async () => {
    dp.inject({ delayMs: 2000, times: Infinity });
    const worker = await exampleWorker();
    const started = Date.now();
    const response = await worker.dispatchFetch('http://shop.example/buy?item=book&price=3', { headers: { 'x-user-id': 'u42' }, cf: { country: 'DE', colo: 'FRA' } });
    const answeredMs = Date.now() - started;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, path: '/buy' });
    // The fixture holds every reply 2 s: a response that waited for delivery could not be here yet.
    expect(answeredMs).toBeLessThan(1500);

    await waitFor(() => messageRequests().length === 2, 'both packs');
    // One pack per stream, each sent once: flushed after the response, never retried.
    expect(messageRequests().map((request) => new URLSearchParams(request.bodyText).get('streamId')).sort()).toEqual(['orders_raw', 'worker_events']);
    expect(dp.received.find((item) => item.streamId === 'orders_raw')?.body).toBe('buy|book');
    const events = parsed('worker_events');
    expect(events.map((event) => event['#event_name']).sort()).toEqual(['http_request', 'purchase']);
    for (const event of events) {
      expect(event).toMatchObject({ '#type': 'track', '#account_id': 'u42' });
      expect(event['#uuid']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(events.find((event) => event['#event_name'] === 'purchase')?.properties).toMatchObject({ item: 'book', price: 3 });
    // What arrived is byte for byte what the SDK put in the form: cnt matches and each line parses back.
    for (const item of dp.received) expect(item.cnt).toBe(item.records.length);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(messageRequests()).toHaveLength(2);
  });

  it('keeps retrying inside waitUntil after the response is out', async () => {
    dp.inject({ httpStatus: 503, times: 2 });
    const worker = await exampleWorker();
    const started = Date.now();
    const response = await worker.dispatchFetch('http://shop.example/buy?item=lamp', { cf: { country: 'FR' } });
    expect(response.status).toBe(200);
    await response.text();
    const answeredMs = Date.now() - started;
    // Both packs were refused once; the retries (500 ms backoff) happen after the response.
    const records = await dp.waitForRecords(3, 8000);
    expect(messageRequests().map((request) => request.status)).toEqual([503, 503, 200, 200]);
    for (const retry of messageRequests().slice(2)) expect(retry.at).toBeGreaterThanOrEqual(started + answeredMs);
    expect(records).toHaveLength(3);
    expect(records).toContain('buy|lamp');
  });

  it('sends the automatic request event with method, path, status, duration and #country', async () => {
    const worker = await exampleWorker();
    const response = await worker.dispatchFetch('http://shop.example/nowhere?x=1', { method: 'POST', body: 'a=1', cf: { country: 'JP', colo: 'NRT' } });
    expect(response.status).toBe(404);
    await response.text();
    await dp.waitForRecords(1, 5000);
    const [event] = parsed('worker_events');
    expect(event?.['#event_name']).toBe('http_request');
    expect(event?.['#distinct_id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(event?.properties).toMatchObject({ method: 'POST', path: '/nowhere', status: 404, '#country': 'JP', colo: 'NRT', route: 'nowhere', '#lib': 'inlong-js' });
    expect(typeof event?.properties.duration_ms).toBe('number');
  });

  it('sends no request event when INLONG_REQUEST_EVENT is false, nor for skipped requests', async () => {
    const worker = await exampleWorker({ INLONG_REQUEST_EVENT: 'false' });
    await (await worker.dispatchFetch('http://shop.example/', { cf: { country: 'DE' } })).text();
    await (await worker.dispatchFetch('http://shop.example/buy?item=pen', { cf: { country: 'DE' } })).text();
    await dp.waitForRecords(2, 5000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(parsed('worker_events').map((event) => event['#event_name'])).toEqual(['purchase']);
    expect(dp.received.find((item) => item.streamId === 'orders_raw')?.body).toBe('buy|pen');

    const withEvents = await exampleWorker();
    dp.clear();
    await (await withEvents.dispatchFetch('http://shop.example/health')).text();
    await (await withEvents.dispatchFetch('http://shop.example/')).text();
    await dp.waitForRecords(1, 5000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(parsed('worker_events').map((event) => event.properties.path)).toEqual(['/']);
  });

  it('sends through a bridge (INLONG_BRIDGE_URL), gzipped by workerd', async () => {
    const bridge = await startBridgeServer({ port: 0, dataproxy: [dp.url], streams: ['web_group/worker_events', 'web_group/orders_raw'] });
    servers.push({ stop: () => bridge.close() });
    // A pass-through in front of the bridge, to see what the Worker put on the wire.
    const seen: Array<{ url: string; gzip: boolean }> = [];
    const tap = await startTrackedServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        seen.push({ url: req.url ?? '', gzip: body[0] === 0x1f && body[1] === 0x8b });
        void fetch(`${bridge.url}${req.url ?? ''}`, { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body }).then(async (reply) => {
          res.writeHead(reply.status, { 'content-type': reply.headers.get('content-type') ?? 'application/json' });
          res.end(await reply.text());
        });
      });
    });
    servers.push({ stop: () => tap.close() });
    const worker = await exampleWorker({ INLONG_DATAPROXY_URLS: '', INLONG_BRIDGE_URL: `http://127.0.0.1:${tap.port}` });
    const item = 'x'.repeat(600);
    await (await worker.dispatchFetch(`http://shop.example/buy?item=${item}`, { cf: { country: 'NL' } })).text();
    await dp.waitForRecords(3, 5000);
    expect(dp.received.find((entry) => entry.streamId === 'orders_raw')?.body).toBe(`buy|${item}`);
    expect(parsed('worker_events').map((event) => event['#event_name']).sort()).toEqual(['http_request', 'purchase']);
    // Both streams in one multi-pack request, gzipped with workerd's CompressionStream.
    expect(seen).toEqual([{ url: '/dataproxy/message?compress=gzip', gzip: true }]);
    expect(bridge.bridge.stats()).toMatchObject({ requests: 1, packs: 2, records: 3 });
  });
});
