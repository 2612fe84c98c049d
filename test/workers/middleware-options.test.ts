/**
 * `withInLong` options inside workerd, on Workers written inline: a throwing handler, options
 * derived from `env`, Manager discovery shared by an isolate's requests, no destination at all.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startDataProxy, nodeAddress, type DataProxyNode } from '../helpers/dataproxy-fixture.js';
import { startManager, type ManagerFixture } from '../helpers/manager-fixture.js';
import { bundle, requireDist, startWorker } from './support.js';

type Record = { [key: string]: unknown; properties: { [key: string]: unknown } };

let dp: DataProxyNode;
const workers: Miniflare[] = [];
const servers: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  requireDist('worker.js');
  dp = await startDataProxy();
  servers.push(dp);
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.dispose()));
  dp.clear();
});
afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

const parsed = (stream: string): Record[] => dp.received.filter((item) => item.streamId === stream).flatMap((item) => item.records.map((line) => JSON.parse(line) as Record));

describe('withInLong options in workerd', () => {
  it('records a thrown handler as status 500, takes options from env, and asks the Manager once per isolate', async () => {
    const manager: ManagerFixture = await startManager({ groupNodes: { g_edge: [nodeAddress(dp)] }, auth: { id: 'edge', key: 'secret' } });
    servers.push(manager);
    const script = await bundle({
      source: `
        import { withInLong } from 'inlong-js/worker';
        export default withInLong({
          async fetch(request, env, ctx, inlong) {
            if (new URL(request.url).pathname === '/boom') throw new Error('kaput');
            inlong.td.userSet({ accountId: 'a1', properties: { plan: 'pro' } });
            return new Response('fine');
          },
        }, (env) => ({ streamId: env.STREAM, requestEvent: { event: 'edge_hit' }, retryBaseMs: 5 }));
      `,
    });
    const worker = startWorker({ script, bindings: { INLONG_MANAGER_URL: manager.url, INLONG_GROUP_ID: 'g_edge', INLONG_AUTH_ID: 'edge', INLONG_AUTH_KEY: 'secret', STREAM: 's_edge' } });
    workers.push(worker);
    const boom = await worker.dispatchFetch('http://edge.example/boom', { cf: { country: 'BR' } });
    expect(boom.status).toBe(500);
    await boom.text();
    // Discovery runs in the first request's waitUntil; once it is done its reply is reused.
    await dp.waitForRecords(1, 5000);
    for (let index = 0; index < 3; index++) await (await worker.dispatchFetch('http://edge.example/ok')).text();
    await dp.waitForRecords(7, 5000);
    const events = parsed('s_edge');
    expect(events.filter((event) => event['#type'] === 'user_set')).toHaveLength(3);
    const hits = events.filter((event) => event['#event_name'] === 'edge_hit');
    expect(hits.map((event) => event.properties.status).sort()).toEqual([200, 200, 200, 500]);
    expect(hits.find((event) => event.properties.status === 500)?.properties).toMatchObject({ path: '/boom', '#country': 'BR', error: 'Error: kaput' });
    // Four requests, one Manager lookup: the node list is shared by the isolate's requests
    // (requests overlapping the very first lookup would each ask: no promise crosses requests).
    expect(manager.requests.map((request) => request.status)).toEqual([200]);
  });

  it('answers normally without any destination configured, telling onError why nothing is sent', async () => {
    const script = await bundle({
      source: `
        import { withInLong } from 'inlong-js/worker';
        const errors = [];
        export default withInLong({
          async fetch(request, env, ctx, inlong) {
            if (new URL(request.url).pathname === '/errors') return Response.json(errors);
            inlong.track('ignored');
            return new Response('still fine');
          },
        }, { groupId: 'g', streamId: 's', onError: (error) => errors.push(error.name + ': ' + error.message) });
      `,
    });
    const worker = startWorker({ script });
    workers.push(worker);
    const response = await worker.dispatchFetch('http://edge.example/');
    expect(await response.text()).toBe('still fine');
    const errors = (await (await worker.dispatchFetch('http://edge.example/errors')).json()) as string[];
    expect(errors.filter((error) => /^ConfigError: .*no destination/.test(error))).toHaveLength(1);
    expect(errors.some((error) => error.startsWith('RecordRejectedError'))).toBe(true);
    expect(dp.requests).toHaveLength(0);
  });
});
