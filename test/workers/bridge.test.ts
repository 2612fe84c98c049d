/**
 * The bridge as a Worker inside workerd: examples/worker/bridge.ts (`export default
 * createBridge(...)`) forwards to a DataProxy fixture on 127.0.0.1 and refuses bad input with
 * the same 4xx as the Node server (test/e2e/bridge-safety.test.ts), forwarding nothing then.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { buildMultiPackBody } from '../../src/dataproxy/multi-pack.js';
import { InLongApi } from '../../src/index.js';
import { startDataProxy, nodeAddress, type DataProxyNode } from '../helpers/dataproxy-fixture.js';
import { startManager } from '../helpers/manager-fixture.js';
import { bundle, readWranglerToml, requireDist, startWorker } from './support.js';

const FORM = 'application/x-www-form-urlencoded';
const ORIGIN = 'https://shop.example.com';
/** The placeholder node in the example, pointed at the fixture once bundled. */
const EXAMPLE_NODE = 'http://10.0.0.5:46802';

let dp: DataProxyNode;
let worker: Miniflare;

beforeAll(async () => {
  requireDist('bridge.js');
  dp = await startDataProxy();
  const wrangler = readWranglerToml('examples/worker/bridge.wrangler.toml');
  const script = await bundle({ entry: `examples/worker/${wrangler.main}` });
  expect(script).toContain(EXAMPLE_NODE);
  worker = startWorker({ script: script.replaceAll(EXAMPLE_NODE, dp.url), compatibilityDate: wrangler.compatibilityDate, compatibilityFlags: wrangler.compatibilityFlags });
});
afterAll(async () => {
  await worker.dispose();
  await dp.stop();
});
beforeEach(() => dp.clear());

async function post(path: string, body: string | Uint8Array, headers: Record<string, string> = { 'content-type': FORM }) {
  const response = await worker.dispatchFetch(`http://bridge.example${path}`, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const packs = [
  { groupId: 'web_group', streamId: 'web_events', dt: 1_700_000_000_000, records: ['{"n":1}', '{"n":2}', 'a=b&c|é€😀'] },
  { groupId: 'web_group', streamId: 'web_errors', dt: 1_700_000_000_001, records: ['boom', 'line 1\\nstill line 1'] },
];

describe('the bridge as a Worker (examples/worker/bridge.ts)', () => {
  it('forwards a multi-pack request, plain and gzip, with per-pack results and a CORS grant', async () => {
    const body = buildMultiPackBody(packs);
    const plain = await post('/dataproxy/message', body, { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(JSON.parse(plain.text)).toMatchObject({ code: '0', results: [{ code: '0' }, { code: '0' }] });
    const zipped = await post('/dataproxy/message?compress=gzip', gzipSync(Buffer.from(body)), { 'content-type': FORM, origin: ORIGIN });
    expect(zipped.status).toBe(200);
    const sent = packs.flatMap((pack) => pack.records);
    expect([...dp.records()].sort()).toEqual([...sent, ...sent].sort());
    expect(dp.received.map((item) => `${item.groupId}/${item.streamId}`).sort()).toEqual(['web_group/web_errors', 'web_group/web_errors', 'web_group/web_events', 'web_group/web_events']);
    for (const item of dp.received) expect(String(item.headers['content-type'])).toBe(FORM);
  });

  it('serves the SDK itself: InLongApi on Node → workerd bridge → DataProxy, every message once', async () => {
    const url = await worker.ready;
    const api = new InLongApi();
    await api.initApi({ bridgeUrl: url.origin, pack_timeout: 20, packCount: 40 });
    const sent: string[] = [];
    for (let index = 0; index < 200; index++) {
      const msg = `{"i":${index},"text":"${'x'.repeat(index % 50)}"}`;
      sent.push(msg);
      expect(api.send('web_group', index % 2 === 0 ? 'web_events' : 'web_errors', msg)).toBe(0);
    }
    await api.flush();
    await api.closeApi(1000);
    expect([...dp.records()].sort()).toEqual([...sent].sort());
  });

  it('fills #ip of ThinkingData records from CF-Connecting-IP', async () => {
    const record = '{"#type":"track","#event_name":"view","#distinct_id":"d1","#uuid":"6f1c2a51-0000-4000-8000-000000000001","properties":{}}';
    const reply = await post('/sync_server', `[${record}]`, { compress: 'none', 'content-type': 'application/plaintext', 'cf-connecting-ip': '203.0.113.7' });
    expect(reply.status).toBe(200);
    expect(dp.received.map((item) => item.streamId)).toEqual(['web_events']);
    expect(JSON.parse(dp.records()[0] ?? '{}')).toMatchObject({ '#ip': '203.0.113.7', '#event_name': 'view' });
  });

  it('refuses bad input with the same 4xx as on Node and forwards nothing', async () => {
    const good = 'groupId=web_group&streamId=web_events&body=ok';
    const denied = await post('/dataproxy/message', good, { 'content-type': FORM, origin: 'https://evil.example' });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await worker.dispatchFetch('http://bridge.example/dataproxy/message', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    await preflight.text();

    const unknown = await post('/dataproxy/message', 'groupId=web_group&streamId=nope&body=x');
    expect(unknown.status).toBe(403);
    expect(JSON.parse(unknown.text).msg).toContain('web_group/nope');
    const mixed = await post('/dataproxy/message', `${good}\ngroupId=other&streamId=s&body=y`, { 'content-type': 'text/plain;charset=UTF-8' });
    expect(mixed.status).toBe(403);

    const zipped = gzipSync(Buffer.from(good));
    const truncated = await post('/dataproxy/message?compress=gzip', zipped.subarray(0, zipped.length - 12));
    expect(truncated.status).toBe(400);
    expect(JSON.parse(truncated.text).msg).toContain('gzip');
    const badJson = await post('/sync_server', '[{"#type":"track",', { compress: 'none' });
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.text).msg).toContain('JSON');
    const badForm = await post('/dataproxy/message', 'groupId=web_group&streamId=web_events&body=%zz');
    expect(badForm.status).toBe(400);
    const json = await post('/dataproxy/message', '{"groupId":"g"}', { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    expect(dp.requests).toHaveLength(0);

    // And it keeps serving.
    expect((await post('/dataproxy/message', good, { 'content-type': FORM, origin: ORIGIN })).status).toBe(200);
    expect(dp.records()).toEqual(['ok']);
  });

  it('discovers DataProxy through the Manager, also for concurrent first requests', async () => {
    const manager = await startManager({ groupNodes: { g_m: [nodeAddress(dp)] }, auth: { id: 'bridge', key: 'k3y' } });
    manager.inject({ delayMs: 300 });
    const source = `
      import { createBridge } from 'inlong-js/bridge';
      export default createBridge({ manager: { url: '${manager.url}', groupId: 'g_m', authId: 'bridge', authKey: 'k3y' }, streams: ['g_m/s'] });
    `;
    const discovering = startWorker({ script: await bundle({ source }) });
    try {
      await discovering.ready;
      const send = async (body: string) => {
        const response = await discovering.dispatchFetch('http://bridge.example/dataproxy/message', { method: 'POST', headers: { 'content-type': FORM }, body });
        return `${response.status} ${await response.text()}`;
      };
      // Three requests wait on the one (slow) discovery started by the first.
      const first = await Promise.all(['a', 'b', 'c'].map((name) => send(`groupId=g_m&streamId=s&body=${name}`)));
      expect(first).toEqual(Array(3).fill('200 {"code":"0","msg":"Ok"}'));
      expect(await send('groupId=g_m&streamId=s&body=d')).toBe('200 {"code":"0","msg":"Ok"}');
      expect([...dp.records()].sort()).toEqual(['a', 'b', 'c', 'd']);
      expect(manager.requests.map((request) => request.status)).toEqual([200]);
    } finally {
      await discovering.dispose();
      await manager.stop();
    }
  });
});
