/**
 * DataProxy TCP from inside workerd (miniflare): `connect()` from `cloudflare:sockets` opens a
 * loopback connection to the TCP stand-in in this Node process. Per-request clients
 * (`withInLong`) and the bridge as a Worker both deliver over it, through faults.
 */
import type { Miniflare } from 'miniflare';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTcpDataProxy, type TcpDataProxyNode } from '../helpers/dataproxy-tcp-fixture.js';
import { bundle, requireDist, startWorker, waitFor } from './support.js';

let dp: TcpDataProxyNode;
const workers: Miniflare[] = [];
const NO_LOSS = { trailingBytes: 0, cntMismatch: 0, corruptSnappy: 0, badFraming: 0, badFlags: 0 };

beforeAll(async () => {
  requireDist('worker.js', 'bridge.js');
  dp = await startTcpDataProxy();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.dispose()));
  dp.clearFaults();
  dp.clear();
});
afterAll(async () => {
  await dp.stop();
});

async function worker(source: string, bindings: Record<string, string> = {}): Promise<Miniflare> {
  const started = startWorker({ script: await bundle({ source }), bindings });
  workers.push(started);
  await started.ready;
  return started;
}

describe('DataProxy TCP in workerd', () => {
  it("withInLong with tcp:// nodes: each request's events arrive over cloudflare:sockets, through a 114 and a reset", async () => {
    const mf = await worker(
      `import { withInLong } from 'inlong-js/worker';
       export default withInLong({
         async fetch(request, env, ctx, inlong) {
           const n = new URL(request.url).searchParams.get('n');
           inlong.track('view', { n: Number(n) });
           inlong.api.send('g', 'raw', 'line ' + n + ' é€😀\\nsecond line');
           return new Response('ok ' + n);
         },
       });`,
      { INLONG_DATAPROXY_URLS: dp.url, INLONG_GROUP_ID: 'g', INLONG_STREAM_ID: 'events', INLONG_REQUEST_EVENT: 'false' },
    );
    dp.inject({ code: 114 });
    dp.inject({ resetBeforeStore: true });
    for (let n = 0; n < 10; n++) {
      const response = await mf.dispatchFetch(`http://worker.example/?n=${n}`);
      expect(await response.text()).toBe(`ok ${n}`);
    }
    await waitFor(() => dp.records().length >= 20, '20 records over TCP', 15_000);
    const raw = dp.received.filter((item) => item.streamId === 'raw').flatMap((item) => item.records).sort();
    expect(raw).toEqual(Array.from({ length: 10 }, (_, n) => `line ${n} é€😀\nsecond line`).sort());
    const events = dp.received.filter((item) => item.streamId === 'events').flatMap((item) => item.records).map((record) => JSON.parse(record) as { properties: { n: number } });
    expect(events.map((event) => event.properties.n).sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    expect(dp.acks.get(114)).toBe(1);
    expect(dp.lost).toEqual(NO_LOSS);
    expect(dp.received.every((item) => item.extField === 4 && item.cnt === item.records.length)).toBe(true);
  });

  it('the bridge as a Worker forwards to tcp:// on one connection per request, each answered 0 after the ack', async () => {
    const mf = await worker(
      `import { createBridge } from 'inlong-js/bridge';
       export default createBridge({ dataproxy: [${JSON.stringify(dp.url)}], streams: ['g/s'], requestTimeoutMs: 500, forwardBudgetMs: 5000});`,
    );
    const before = dp.connections.accepted;
    dp.inject({ code: 114 });
    const answers: unknown[] = [];
    for (let n = 0; n < 8; n++) {
      const response = await mf.dispatchFetch('http://bridge.example/dataproxy/message', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `groupId=g&streamId=s&cnt=2&body=a${n}%0Ab${n}`,
      });
      answers.push(await response.json());
    }
    expect(answers).toEqual(Array.from({ length: 8 }, () => ({ code: '0', msg: 'Ok' })));
    expect([...dp.records()].sort()).toEqual(Array.from({ length: 8 }, (_, n) => [`a${n}`, `b${n}`]).flat().sort());
    expect(dp.lost).toEqual(NO_LOSS);
    // Workers refuse I/O on a socket from another request: one connection per request, each
    // closed by the bridge once its packs were answered, none broken by a stale write.
    expect(dp.connections.accepted - before).toBe(8);
    await waitFor(() => dp.connections.open === 0, 'every connection closed by the bridge');
  });
});
