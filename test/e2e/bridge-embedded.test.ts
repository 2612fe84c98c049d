import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as ThinkingData from 'thinkingdata-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createBridge } from '../../src/bridge/handler.js';
import { startBridgeServer, type BridgeServer, type BridgeServerOptions } from '../../src/bridge/node-server.js';
import { InLongApi } from '../../src/index.js';

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'inlong-bridge-'));
  stops.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'nested', 'records.jsonl');
}

async function bridge(options: BridgeServerOptions = {}): Promise<BridgeServer> {
  const server = await startBridgeServer({ port: 0, ...options });
  stops.push(server.close);
  return server;
}

interface Page {
  records: Array<{ seq: number; groupId: string; streamId: string; record: string }>;
  next: number;
}

async function records(server: BridgeServer, after = 0, limit?: number): Promise<Page> {
  const query = limit === undefined ? `after=${after}` : `after=${after}&limit=${limit}`;
  const response = await fetch(`${server.url}/inlong/records?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

describe('bridge embedded mode (no DataProxy configured)', () => {
  it('accepts any stream and origin, stores durably in a file, reads back by seq, and survives a restart', async () => {
    const path = await tempFile();
    const server = await bridge({ sinkFile: path });
    expect(server.bridge.describe()).toBe(`embedded sink at ${path}`);
    const client = new InLongApi();
    stops.push(() => client.closeApi(0));
    await client.initApi({ bridgeUrl: server.url, pack_timeout: 10 });
    for (let index = 0; index < 30; index++) client.send(`group${index % 2}`, 'any_stream', `m${index}`);
    await client.flush();
    const first = await records(server, 0, 20);
    const second = await records(server, first.next);
    expect(first.records.map((record) => record.seq)).toEqual([...Array(20).keys()].map((index) => index + 1));
    expect([...first.records, ...second.records].map((record) => record.record).sort()).toEqual([...Array(30).keys()].map((index) => `m${index}`).sort());
    expect(second.next).toBe(30);
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(30);

    const preflight = await fetch(`${server.url}/dataproxy/message`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');

    await server.close();
    const restarted = await bridge({ sinkFile: path });
    const post = await fetch(`${restarted.url}/dataproxy/message`, { method: 'POST', body: 'groupId=g&streamId=s&body=after-restart', headers: { 'content-type': 'text/plain' } });
    expect(await post.json()).toEqual({ code: '0', msg: 'Ok' });
    const all = await records(restarted, 0, 100);
    expect(all.records).toHaveLength(31);
    expect(all.records.at(-1)).toMatchObject({ seq: 31, record: 'after-restart', groupId: 'g', streamId: 's' });
    expect(await records(restarted, 29)).toMatchObject({ next: 31 });
  });

  it('/data_debug with the official SDK: valid → errorLevel 0 and stored, dryRun → not stored, invalid → reasons', async () => {
    const server = await bridge();
    const debug = ThinkingData.initWithDebugMode('app', server.url, { dryRun: false, deviceId: 'dev-1' });
    const dry = ThinkingData.initWithDebugMode('app', server.url, { dryRun: true, deviceId: 'dev-1' });
    const track = (sdk: ReturnType<typeof ThinkingData.initWithDebugMode>, name: string) =>
      new Promise<unknown>((resolve) => sdk.track({ distinctId: 'd', event: name, properties: { price: 3 }, callback: resolve }));
    expect(await track(debug, 'stored_event')).toBeUndefined();
    expect(await track(dry, 'dry_event')).toBeUndefined();
    const stored = (await records(server)).records.map((record) => JSON.parse(record.record) as Record<string, unknown>);
    expect(stored.map((record) => record['#event_name'])).toEqual(['stored_event']);
    expect(stored[0]?.['#ip']).toBe('127.0.0.1');

    const bad = await fetch(`${server.url}/data_debug`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `appid=app&data=${encodeURIComponent(JSON.stringify({ '#type': 'track', '#time': 'yesterday', properties: { 'bad-key': 1 } }))}`,
    });
    const reply = (await bad.json()) as { errorLevel: number; errorReasons: string[] };
    expect(reply.errorLevel).toBe(-1);
    expect(reply.errorReasons.join(' ')).toMatch(/#time.*#distinct_id.*event name.*property name/s);
  });

  it('/sync_data (app envelope, gzip) and /sync_js (web SDK base64 form) land in the ThinkingData stream', async () => {
    const server = await bridge({ streams: ['g/td', 'g/other'] });
    const envelope = { '#app_id': 'app', data: [{ '#type': 'track', '#event_name': 'a', '#distinct_id': 'd' }, { '#type': 'user_set', '#distinct_id': 'd', properties: { x: 1 } }] };
    const app = await fetch(`${server.url}/sync_data`, { method: 'POST', headers: { compress: 'gzip' }, body: gzipSync(JSON.stringify(envelope)) });
    expect(await app.json()).toEqual({ code: 0 });
    const base64 = Buffer.from(JSON.stringify({ data: [{ '#type': 'track', '#event_name': 'web', '#distinct_id': 'é' }] })).toString('base64');
    const web = await fetch(`${server.url}/sync_js`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `data=${encodeURIComponent(base64)}&ext=crc%3D1` });
    expect(await web.json()).toEqual({ code: 0 });
    const page = await records(server);
    expect(page.records.every((record) => record.groupId === 'g' && record.streamId === 'td')).toBe(true);
    expect(page.records.map((record) => JSON.parse(record.record)['#event_name'] ?? null)).toEqual(['a', null, 'web']);
    // A configured allowlist applies in embedded mode too.
    const other = await fetch(`${server.url}/dataproxy/message`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'groupId=x&streamId=y&body=z' });
    expect(other.status).toBe(403);
  });

  it('stats count requests, packs, records, forwarded, deduped and rejections by reason', async () => {
    const server = await bridge();
    const record = JSON.stringify({ '#type': 'track', '#uuid': 'same', '#distinct_id': 'd' });
    const body = `groupId=g&streamId=s&cnt=2&body=${encodeURIComponent(`${record}\n${record}`)}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    await fetch(`${server.url}/dataproxy/message`, { method: 'POST', headers: form, body });
    await fetch(`${server.url}/dataproxy/message`, { method: 'POST', headers: form, body: 'groupId=&streamId=s&body=x' });
    const stats = (await (await fetch(`${server.url}/inlong/stats`)).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ mode: 'embedded', requests: 3, packs: 1, records: 2, forwarded: 1, deduped: 1, rejected: { bad_form: 1 } });
  });
});

describe('bridge as a plain fetch handler (Workers / Deno style, no server)', () => {
  it('serves Request → Response without a client address: no #ip, no rate limiting, records readable', async () => {
    const bridge = createBridge({ rateLimit: { requests: 1, windowMs: 60_000 } });
    stops.push(() => bridge.close());
    const record = JSON.stringify({ '#type': 'track', '#distinct_id': 'd' });
    for (let index = 0; index < 3; index++) {
      const response = await bridge.fetch(new Request('https://bridge.example/dataproxy/message', { method: 'POST', body: `groupId=g&streamId=s&body=${encodeURIComponent(record)}` }));
      expect(response.status).toBe(200);
    }
    const page = (await (await bridge.fetch(new Request('https://bridge.example/inlong/records?after=2'))).json()) as Page;
    expect(page.records.map((stored) => [stored.seq, stored.record])).toEqual([[3, record]]);
    const withResolver = createBridge({ clientAddress: (request) => request.headers.get('x-real-ip') ?? undefined });
    await withResolver.fetch(new Request('https://b/dataproxy/message', { method: 'POST', headers: { 'x-real-ip': '::ffff:192.0.2.9' }, body: `groupId=g&streamId=s&body=${encodeURIComponent(record)}` }));
    const stored = (await (await withResolver.fetch(new Request('https://b/inlong/records'))).json()) as Page;
    expect(JSON.parse(stored.records[0]?.record ?? '{}')['#ip']).toBe('192.0.2.9');
  });

  it('a forwarding bridge keeps no records (404) and creates nothing until the first request', async () => {
    const bridge = createBridge({ dataproxy: ['http://127.0.0.1:9'], streams: ['g/s'] });
    expect(bridge.describe()).toBe('DataProxy nodes http://127.0.0.1:9');
    expect((await bridge.fetch(new Request('https://b/inlong/records'))).status).toBe(404);
    expect((await bridge.fetch(new Request('https://b/dataproxy/heartbeat', { method: 'POST' }))).status).toBe(200);
  });
});
