/**
 * examples/deno/bridge.ts: the built bridge under `Deno.serve`, driven from Node. Multi-pack
 * requests (plain and gzip) and the SDK's own client reach the DataProxy fixture; bad input gets
 * the same 4xx as on Node; SIGTERM stops it cleanly.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildMultiPackBody } from '../../src/dataproxy/multi-pack.js';
import { InLongApi } from '../../src/index.js';
import { startDataProxy, type DataProxyNode } from '../helpers/dataproxy-fixture.js';
import { cleanup, startDenoServer, type DenoServer } from './support.js';

const FORM = 'application/x-www-form-urlencoded';
const ORIGIN = 'https://app.example.com';
let dp: DataProxyNode;
let bridge: DenoServer;

beforeAll(async () => {
  dp = await startDataProxy();
  bridge = await startDenoServer('examples/deno/bridge.ts', {
    env: { PORT: '0', INLONG_DATAPROXY_URLS: dp.url, INLONG_STREAMS: 'g_web/events,g_web/errors', INLONG_ALLOW_ORIGINS: ORIGIN },
  });
});
afterAll(async () => {
  await dp.stop();
  cleanup();
});
beforeEach(() => dp.clear());

async function post(path: string, body: BodyInit, headers: Record<string, string> = { 'content-type': FORM }) {
  const response = await fetch(`${bridge.url}${path}`, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('the bridge under Deno.serve (examples/deno/bridge.ts)', () => {
  it('forwards multi-pack requests, plain and gzip, and fills #ip from the socket', async () => {
    const record = '{"#type":"track","#event_name":"view","#distinct_id":"d1","#uuid":"0b7e3c11-0000-4000-8000-00000000000a","properties":{}}';
    const packs = [
      { groupId: 'g_web', streamId: 'events', dt: 1_700_000_000_000, records: [record, 'plain|line|é€😀'] },
      { groupId: 'g_web', streamId: 'errors', dt: 1_700_000_000_001, records: ['e1', 'e2', 'e3'] },
    ];
    const plain = await post('/dataproxy/message', buildMultiPackBody(packs), { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(JSON.parse(plain.text)).toMatchObject({ code: '0', results: [{ code: '0' }, { code: '0' }] });
    const more = buildMultiPackBody([{ groupId: 'g_web', streamId: 'errors', dt: 1_700_000_000_002, records: ['e4'] }]);
    const zipped = await post('/dataproxy/message?compress=gzip', gzipSync(more));
    expect(zipped.status).toBe(200);
    const events = dp.received.filter((item) => item.streamId === 'events').flatMap((item) => item.records);
    expect(JSON.parse(events[0] ?? '{}')).toMatchObject({ '#ip': '127.0.0.1', '#uuid': '0b7e3c11-0000-4000-8000-00000000000a' });
    expect(events[1]).toBe('plain|line|é€😀');
    expect(dp.received.filter((item) => item.streamId === 'errors').flatMap((item) => item.records)).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  it('serves the SDK: InLongApi (Node) → Deno bridge → DataProxy, every message once', async () => {
    const api = new InLongApi();
    await api.initApi({ bridgeUrl: bridge.url, pack_timeout: 20, packCount: 25 });
    const sent = Array.from({ length: 150 }, (_, index) => `m${index}|${'y'.repeat(index % 40)}`);
    sent.forEach((msg, index) => expect(api.send('g_web', index % 3 === 0 ? 'errors' : 'events', msg)).toBe(0));
    await api.flush();
    await api.closeApi(1000);
    expect([...dp.records()].sort()).toEqual([...sent].sort());
  });

  it('refuses bad input like the Node server and forwards nothing', async () => {
    const good = 'groupId=g_web&streamId=events&body=ok';
    expect((await post('/dataproxy/message', good, { 'content-type': FORM, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('/dataproxy/message', 'groupId=g_web&streamId=nope&body=x')).status).toBe(403);
    const zipped = gzipSync(Buffer.from(good));
    const truncated = await post('/dataproxy/message?compress=gzip', zipped.subarray(0, zipped.length - 12));
    expect(truncated.status).toBe(400);
    expect(JSON.parse(truncated.text).msg).toContain('gzip');
    expect((await post('/sync_server', '[{"#type":"track",', { compress: 'none' })).status).toBe(400);
    expect(dp.requests).toHaveLength(0);
  });

  it('shuts down on SIGTERM: exit code 0, within a second', async () => {
    const started = Date.now();
    expect(await bridge.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
