import { afterEach, describe, expect, it } from 'vitest';
import { createFetchTransport } from '../../src/adapters/transport/fetch.js';
import { createBridgeEndpoint } from '../../src/dataproxy/bridge-endpoint.js';
import { createBridge } from '../../src/bridge/handler.js';
import { InLongApi } from '../../src/index.js';
import { startBridgeServer, type BridgeServer, type BridgeServerOptions } from '../../src/bridge/node-server.js';
import { nodeAddress, startDataProxy, type DataProxyNode } from '../helpers/dataproxy-fixture.js';
import { startManager, type ManagerFixture } from '../helpers/manager-fixture.js';
import { sendWithThinkingData } from '../helpers/thinkingdata-client.js';

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function dataProxy(): Promise<DataProxyNode> {
  const node = await startDataProxy();
  stops.push(node.stop);
  return node;
}

async function bridge(options: BridgeServerOptions): Promise<BridgeServer> {
  const server = await startBridgeServer({ port: 0, forwardBudgetMs: 3000, requestTimeoutMs: 1000, nodeParkMs: 500, ...options });
  stops.push(server.close);
  return server;
}

async function api(config: object): Promise<InLongApi> {
  const client = new InLongApi();
  stops.push(() => client.closeApi(0));
  expect(await client.initApi({ pack_timeout: 20, retryBaseMs: 5, retryMaxMs: 50, requestTimeoutMs: 3000, ...config })).toBe(0);
  return client;
}

const parse = (records: string[]) => records.map((record) => JSON.parse(record) as Record<string, unknown>);

describe('bridge → DataProxy: clients deliver exactly their records', () => {
  for (const compress of [true, false]) {
    it(`thinkingdata-node batch mode (gzip ${compress ? 'on' : 'off'}) → exactly N records, #ip from the client address`, async () => {
      const dp = await dataProxy();
      const server = await bridge({ dataproxy: [dp.url], streams: ['td_group/td_stream'] });
      const errors = await sendWithThinkingData(server.url, 45, { compress, extra: (index) => (index === 0 ? { ip: '202.38.64.1' } : {}) });
      expect(errors).toEqual([]);
      const records = parse(await dp.waitForRecords(45));
      expect(records).toHaveLength(45);
      expect(records.map((record) => (record.properties as { num: number }).num).sort((a, b) => a - b)).toEqual([...Array(45).keys()]);
      expect(new Set(records.map((record) => record['#uuid'])).size).toBe(45);
      // DataProxy only sees the bridge; the real client address travels in #ip, a given #ip stays.
      expect(records.filter((record) => record['#ip'] === '127.0.0.1')).toHaveLength(44);
      expect(records.find((record) => (record.properties as { num: number }).num === 0)?.['#ip']).toBe('202.38.64.1');
      expect(dp.received.every((item) => item.groupId === 'td_group' && item.streamId === 'td_stream')).toBe(true);
      expect(dp.requests.every((request) => request.headers['content-type'] === 'application/x-www-form-urlencoded')).toBe(true);
    });
  }

  it("this SDK's InLongApi through the bridge (multi-pack, gzip, write key) → exactly N records; the key stays at the bridge", async () => {
    const dp = await dataProxy();
    const server = await bridge({ dataproxy: [dp.url], streams: ['g/s1', 'g/s2'], writeKeys: { 'g/s1': 'k-1', 'g/s2': 'k-1' } });
    const client = await api({ bridgeUrl: server.url, writeKey: 'k-1', min_zip_len: 64 });
    const sent: string[] = [];
    for (let index = 0; index < 300; index++) {
      const msg = `{"n":${index},"text":"a&b;c#d+e%f\\n"}`;
      sent.push(msg);
      expect(client.send('g', index % 2 ? 's1' : 's2', msg)).toBe(0);
    }
    await client.flush();
    expect([...dp.records()].sort()).toEqual([...sent].sort());
    expect(dp.received.some((item) => 'writeKey' in item.params)).toBe(false);
    expect(dp.requests.every((request) => !request.bodyText.includes('k-1'))).toBe(true);
    expect(server.bridge.stats()).toMatchObject({ forwarded: 300, failed: 0 });
  });

  it('createBridgeEndpoint: a retried pack is deduplicated by #uuid (at-least-once, once at DataProxy)', async () => {
    const dp = await dataProxy();
    const server = await bridge({ dataproxy: [dp.url], streams: ['g/s'] });
    const endpoint = createBridgeEndpoint({ transport: createFetchTransport(), url: server.url, timeoutMs: 3000 });
    const records = Array.from({ length: 5 }, (_, index) => JSON.stringify({ '#type': 'track', '#uuid': `uuid-${index}`, '#event_name': 'e', properties: {} }));
    const pack = { id: 'p1', groupId: 'g', streamId: 's', records, dt: Date.now(), bytes: 0, attempts: 0, createdAt: Date.now() };
    const first = await endpoint.deliver([pack]);
    // The client did not see the reply (say) and sends the same pack again, plus one new record.
    const again = await endpoint.deliver([{ ...pack, records: [...records, JSON.stringify({ '#type': 'track', '#uuid': 'uuid-new' })] }]);
    expect(first[0]).toMatchObject({ kind: 'reply', status: 200, code: 0 });
    expect(again[0]).toMatchObject({ kind: 'reply', status: 200, code: 0 });
    const uuids = parse(dp.records()).map((record) => record['#uuid']);
    expect(uuids).toEqual(['uuid-0', 'uuid-1', 'uuid-2', 'uuid-3', 'uuid-4', 'uuid-new']);
    expect(server.bridge.stats().deduped).toBe(5);
  });
});

describe('the portable handler (fetch transport, as on Workers and Deno)', () => {
  it('forwards through createBridge().fetch with the default fetch transport and answers per pack', async () => {
    const dp = await dataProxy();
    const portable = createBridge({ dataproxy: [dp.url], streams: ['g/s', 'g/t'], trustProxy: true });
    stops.push(() => portable.close());
    const body = ['groupId=g&streamId=s&cnt=2&body=a%0Ab', 'groupId=g&streamId=t&body=c'].join('\n');
    const response = await portable.fetch(new Request('https://bridge.example/dataproxy/message?compress=none', { method: 'POST', body, headers: { 'cf-connecting-ip': '198.51.100.4' } }));
    expect(await response.json()).toEqual({ code: '0', msg: 'Ok', results: [{ code: '0', msg: 'Ok' }, { code: '0', msg: 'Ok' }] });
    expect(dp.received.map((item) => [item.streamId, item.cnt, item.body])).toEqual([['s', 2, 'a\nb'], ['t', 1, 'c']]);
  });
});

describe('bridge → DataProxy: request size', () => {
  it('repacks a large pack into DataProxy requests within max-msg-length, and halves on a 413', async () => {
    const dp = await startDataProxy({ maxMsgLength: 2048 });
    stops.push(dp.stop);
    const records = Array.from({ length: 60 }, (_, index) => `{"n":${index},"pad":"${'x'.repeat(90)}"}`);
    const body = `groupId=g&streamId=s&cnt=${records.length}&body=${records.map(encodeURIComponent).join('%0A')}`;
    const post = (server: BridgeServer) => fetch(`${server.url}/dataproxy/message`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

    // The bridge knows the limit: every forwarded form fits, nothing is refused.
    const knowing = await bridge({ dataproxy: [dp.url], streams: ['g/s'], maxMsgLength: 2048 });
    expect(await (await post(knowing)).json()).toEqual({ code: '0', msg: 'Ok' });
    expect(dp.records()).toEqual(records);
    expect(dp.requests.length).toBeGreaterThan(3);
    expect(dp.requests.every((request) => request.status === 200 && request.body.length <= 2048)).toBe(true);

    // The bridge assumes more than DataProxy allows: DataProxy's 413 makes it halve until it fits.
    dp.clear();
    const optimistic = await bridge({ dataproxy: [dp.url], streams: ['g/s'], maxMsgLength: 65_536 });
    expect(await (await post(optimistic)).json()).toEqual({ code: '0', msg: 'Ok' });
    expect(dp.records()).toEqual(records);
    expect(dp.requests.some((request) => request.status === 413)).toBe(true);
  });
});

describe('bridge → DataProxy: failover and discovery', () => {
  it('a DataProxy node dies: every record still arrives, on the other node', async () => {
    const [alive, dying] = [await dataProxy(), await dataProxy()];
    const server = await bridge({ dataproxy: [alive.url, dying.url], streams: ['g/s'] });
    const client = await api({ bridgeUrl: server.url });
    for (let index = 0; index < 50; index++) client.send('g', 's', `before-${index}`);
    await client.flush();
    await dying.kill();
    for (let index = 0; index < 100; index++) client.send('g', 's', `after-${index}`);
    await client.flush();
    const all = [...alive.records(), ...dying.records()];
    expect(all.filter((record) => record.startsWith('before-'))).toHaveLength(50);
    expect(alive.records().filter((record) => record.startsWith('after-'))).toHaveLength(100);
    expect(new Set(all).size).toBe(150);
  });

  it('transient DataProxy codes (114, 5xx) are retried on another node before the client is answered', async () => {
    const [flaky, good] = [await dataProxy(), await dataProxy()];
    flaky.inject({ code: 114, times: Infinity });
    good.inject({ httpStatus: 503, times: 1 });
    const server = await bridge({ dataproxy: [flaky.url, good.url], streams: ['g/s'] });
    const response = await fetch(`${server.url}/dataproxy/message`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: 'groupId=g&streamId=s&cnt=2&body=one%0Atwo',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"code":"0","msg":"Ok"}');
    expect(good.records()).toEqual(['one', 'two']);
  });

  it('all nodes down: the client gets a retryable code (1) within the budget, and nothing is lost later', async () => {
    const dp = await dataProxy();
    const server = await bridge({ dataproxy: [dp.url], streams: ['g/s'], forwardBudgetMs: 400 });
    await dp.kill();
    const started = Date.now();
    const response = await fetch(`${server.url}/dataproxy/message`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'groupId=g&streamId=s&body=x' });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(await response.json()).toMatchObject({ code: '1' });
    await dp.revive();
    const retry = await fetch(`${server.url}/dataproxy/message`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'groupId=g&streamId=s&body=x' });
    expect(await retry.json()).toEqual({ code: '0', msg: 'Ok' });
    expect(dp.records()).toEqual(['x']);
  });

  it('Manager discovery with Basic auth; a refresh picks up a new node', async () => {
    const [first, second] = [await dataProxy(), await dataProxy()];
    const manager: ManagerFixture = await startManager({ groupNodes: { g: [nodeAddress(first)] }, auth: { id: 'svc', key: 'secret-key' } });
    stops.push(manager.stop);
    const logs: string[] = [];
    const server = await bridge({
      manager: { url: manager.url, groupId: 'g', authId: 'svc', authKey: 'secret-key', refreshMs: 150 },
      streams: ['g/s'],
      log: (line) => logs.push(line),
    });
    const client = await api({ bridgeUrl: server.url });
    for (let index = 0; index < 20; index++) client.send('g', 's', `a-${index}`);
    await client.flush();
    expect(first.records()).toHaveLength(20);
    manager.setNodes('g', [nodeAddress(second)]);
    const deadline = Date.now() + 3000;
    while (manager.requests.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let index = 0; index < 20; index++) client.send('g', 's', `b-${index}`);
    await client.flush();
    expect(second.records()).toHaveLength(20);
    expect(first.records()).toHaveLength(20);
    expect(manager.requests.every((request) => request.status === 200 && request.protocolType === 'HTTP')).toBe(true);
    expect(server.bridge.describe()).not.toContain('secret-key');
    expect(logs.join('\n')).not.toContain('secret-key');
  });
});
