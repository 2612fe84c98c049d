import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import * as ThinkingData from 'thinkingdata-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBridge } from '../../src/bridge/handler.js';
import { startBridgeServer, type BridgeServer } from '../../src/bridge/node-server.js';
import { isConfigError } from '../../src/index.js';
import { startDataProxy, type DataProxyNode } from '../helpers/dataproxy-fixture.js';

const FORM = 'application/x-www-form-urlencoded';
const KEY = 'wk-s3cret-value';
let dp: DataProxyNode;
let server: BridgeServer;

beforeAll(async () => {
  dp = await startDataProxy();
  server = await startBridgeServer({
    port: 0,
    dataproxy: [dp.url],
    streams: ['g/s', 'g/keyed', 'td/events'],
    tdStream: 'td/events',
    writeKeys: { 'g/keyed': KEY },
    allowOrigins: ['https://app.example.com'],
    maxBodyBytes: 16_384,
    maxInflatedBytes: 65_536,
    rateLimit: false,
    forwardBudgetMs: 2000,
  });
});
afterAll(async () => {
  await server.close();
  await dp.stop();
});
beforeEach(() => dp.clear());

async function post(path: string, body: BodyInit, headers: Record<string, string> = { 'content-type': FORM }) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const good = 'groupId=g&streamId=s&body=ok';
const truncatedGzip = (text: string) => {
  const bytes = gzipSync(Buffer.from(text));
  return bytes.subarray(0, bytes.length - 12);
};

describe('bridge safety: each bad input gets the right 4xx and nothing is forwarded', () => {
  it('disallowed origin: no CORS grant on preflight or POST, 403, nothing forwarded; an allowed origin gets its grant', async () => {
    const preflight = await fetch(`${server.url}/dataproxy/message`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    // A simple POST is not preflighted by browsers: the bridge itself must refuse it.
    const simple = await post('/dataproxy/message', good, { 'content-type': FORM, origin: 'https://evil.example' });
    expect(simple.status).toBe(403);
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    expect(JSON.parse(simple.text)).toMatchObject({ code: '403', msg: expect.stringContaining('origin') });

    const allowed = await fetch(`${server.url}/dataproxy/message`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-other' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type');
    const ok = await post('/dataproxy/message', good, { 'content-type': `${FORM};charset=UTF-8`, origin: 'https://app.example.com' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(dp.records()).toEqual(['ok']);
  });

  it('unknown stream → 403, and one bad line refuses the whole multi-pack request', async () => {
    const single = await post('/dataproxy/message', 'groupId=g&streamId=nope&body=x');
    expect(single.status).toBe(403);
    expect(JSON.parse(single.text).msg).toContain('g/nope');
    const multi = await post('/dataproxy/message', `${good}\ngroupId=other&streamId=s&body=y`, { 'content-type': 'text/plain;charset=UTF-8' });
    expect(multi.status).toBe(403);
    expect(dp.requests).toHaveLength(0);
  });

  it('a raw pack with a short cnt or a blank header refuses the whole request; a good raw pack is forwarded byte for byte', async () => {
    const text = { 'content-type': 'text/plain;charset=UTF-8' };
    const rawGood = '@groupId=g&streamId=s&dt=1700000000000&cnt=2\n{"a":"x&y=%20"}\n{"b":"é"}';
    const short = await post('/dataproxy/message', `${rawGood}\n@groupId=g&streamId=s&cnt=3\nonly-one`, text);
    expect(short.status).toBe(400);
    expect(JSON.parse(short.text)).toMatchObject({ code: '2147483647', msg: expect.stringContaining('cnt=3 but 1 lines follow') });
    const blank = await post('/dataproxy/message', `@groupId=g&cnt=1\nx\n${rawGood}`, text);
    expect(blank.status).toBe(400);
    expect(JSON.parse(blank.text).code).toBe('101');
    expect(dp.requests).toHaveLength(0);
    const ok = await post('/dataproxy/message', rawGood, text);
    expect(ok.status).toBe(200);
    expect(dp.records()).toEqual(['{"a":"x&y=%20"}', '{"b":"é"}']);
  });

  it('wrong or missing write key → 401; the key is never echoed', async () => {
    const wrong = await post('/dataproxy/message', 'groupId=g&streamId=keyed&body=x&writeKey=guess');
    const missing = await post('/dataproxy/message', 'groupId=g&streamId=keyed&body=x');
    expect([wrong.status, missing.status]).toEqual([401, 401]);
    expect(wrong.text + missing.text).not.toContain(KEY);
    const right = await post('/dataproxy/message', `groupId=g&streamId=keyed&body=x&writeKey=${KEY}`);
    expect(right.status).toBe(200);
    expect(dp.requests).toHaveLength(1);
    expect(dp.requests[0]?.bodyText).not.toContain(KEY);
  });

  it('oversize body → 413 (declared or streamed), gzip bomb → 413', async () => {
    const big = `groupId=g&streamId=s&body=${'a'.repeat(20_000)}`;
    expect((await post('/dataproxy/message', big)).status).toBe(413);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 10; index++) controller.enqueue(new TextEncoder().encode('a'.repeat(4096)));
        controller.close();
      },
    });
    const chunked = await fetch(`${server.url}/dataproxy/message`, { method: 'POST', headers: { 'content-type': FORM }, body: streamed, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    const bomb = gzipSync(Buffer.from(`groupId=g&streamId=s&body=${'0'.repeat(1_000_000)}`));
    expect(bomb.length).toBeLessThan(16_384);
    expect((await post('/dataproxy/message?compress=gzip', bomb)).status).toBe(413);
    expect(dp.requests).toHaveLength(0);
  });

  it('truncated gzip → 400 on the DataProxy and ThinkingData routes', async () => {
    const dataproxy = await post('/dataproxy/message?compress=gzip', truncatedGzip(good));
    expect(dataproxy.status).toBe(400);
    expect(JSON.parse(dataproxy.text).msg).toContain('gzip');
    const td = await post('/sync_server', truncatedGzip('[{"#type":"track"}]'), { compress: 'gzip', 'content-type': 'application/plaintext' });
    expect(td.status).toBe(400);
    expect(JSON.parse(td.text)).toMatchObject({ errorLevel: -1 });
    expect(dp.requests).toHaveLength(0);
  });

  it('invalid JSON, non-object records, bad forms, bad UTF-8, wrong content type → 4xx saying what was wrong', async () => {
    const cases: Array<[string, BodyInit, Record<string, string>, number, string]> = [
      ['/sync_server', '[{"#type":"track",', { compress: 'none' }, 400, 'JSON'],
      ['/sync_server', '[1,2]', { compress: 'none' }, 400, 'element 0'],
      ['/data_debug', 'appid=a&data=%7Bnope', { 'content-type': FORM }, 400, 'JSON'],
      ['/dataproxy/message', 'groupId=g&streamId=s&body=%zz', { 'content-type': FORM }, 400, 'percent'],
      ['/dataproxy/message', 'streamId=s&body=x', { 'content-type': FORM }, 400, 'groupId'],
      ['/dataproxy/message', 'groupId=g&streamId=s&body=%20', { 'content-type': FORM }, 400, 'Blank'],
      ['/dataproxy/message', new Uint8Array([0x62, 0x6f, 0x64, 0x79, 0x3d, 0xff, 0xfe]), { 'content-type': FORM }, 400, 'UTF-8'],
      ['/dataproxy/message', '{"groupId":"g"}', { 'content-type': 'application/json' }, 415, 'content type'],
    ];
    for (const [path, body, headers, status, says] of cases) {
      const reply = await post(path, body, headers);
      expect([path, reply.status]).toEqual([path, status]);
      expect(JSON.parse(reply.text).msg).toContain(says);
    }
    expect(dp.requests).toHaveLength(0);
  });

  it('a 10 MB header flood is cut off with 431 (or a closed socket) and the server keeps serving', async () => {
    const { reply, error } = await headerFlood(server.port, 10 * 1024 * 1024);
    expect(reply === '' ? error : reply.slice(0, 12)).toMatch(/^(HTTP\/1\.1 431|HTTP\/1\.1 400|EPIPE|ECONNRESET)/);
    expect((await post('/dataproxy/message', good)).status).toBe(200);
    expect(dp.records()).toEqual(['ok']);
  });

  it('1,000 malformed requests in a loop all get the right 4xx; a good request afterwards succeeds', async () => {
    const variants: Array<{ path: string; init: RequestInit; status: number }> = [
      { path: '/dataproxy/message', init: { method: 'POST', headers: { 'content-type': FORM }, body: 'groupId=g&streamId=s&body=%zz' }, status: 400 },
      { path: '/dataproxy/message', init: { method: 'POST', headers: { 'content-type': FORM }, body: 'groupId=g&streamId=zz&body=x' }, status: 403 },
      { path: '/dataproxy/message', init: { method: 'POST', headers: { 'content-type': FORM }, body: 'groupId=g&streamId=keyed&body=x&writeKey=no' }, status: 401 },
      { path: '/dataproxy/message?compress=gzip', init: { method: 'POST', headers: { 'content-type': FORM }, body: 'not gzip' }, status: 400 },
      { path: '/sync_server', init: { method: 'POST', headers: { compress: 'none' }, body: '{oops' }, status: 400 },
      { path: '/dataproxy/message', init: { method: 'POST', headers: { 'content-type': FORM }, body: 'x'.repeat(20_000) }, status: 413 },
      { path: '/dataproxy/message', init: { method: 'PUT', body: 'x' }, status: 405 },
      { path: '/nowhere', init: { method: 'GET' }, status: 404 },
    ];
    const statuses = new Map<number, number>();
    for (let index = 0; index < 1000; index++) {
      const variant = variants[index % variants.length];
      if (!variant) throw new Error('unreachable: index modulo length');
      const response = await fetch(`${server.url}${variant.path}`, variant.init);
      await response.arrayBuffer();
      if (response.status !== variant.status) throw new Error(`request ${index} ${variant.path}: ${response.status}, expected ${variant.status}`);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
    expect([...statuses.values()].reduce((sum, count) => sum + count, 0)).toBe(1000);
    expect(dp.requests).toHaveLength(0);
    expect((await post('/dataproxy/message', good)).status).toBe(200);
    expect(dp.records()).toEqual(['ok']);
  });
});

describe('bridge safety: ThinkingData clients and write keys', () => {
  it('a ThinkingData stream with a write key takes it from the client app id; a wrong one is refused (401)', async () => {
    const keyed = await startBridgeServer({ port: 0, dataproxy: [dp.url], streams: ['td/events'], writeKeys: { 'td/events': 'app-key-1' } });
    try {
      const send = (appId: string) =>
        new Promise<unknown>((resolve) => {
          const td = ThinkingData.initWithBatchMode(appId, keyed.url, { batchSize: 1, compress: true });
          td.track({ distinctId: 'd', event: 'buy', properties: { app: appId }, callback: resolve });
        });
      expect(String(await send('wrong-app'))).toContain('401');
      expect(await send('app-key-1')).toBeUndefined();
      expect(dp.records().map((record) => JSON.parse(record).properties.app)).toEqual(['app-key-1']);
    } finally {
      await keyed.close();
    }
  });
});

describe('bridge safety: limits and configuration', () => {
  it('rate limit per client address → 429 with Retry-After; another address is not affected', async () => {
    const bridge = createBridge({ rateLimit: { requests: 3, windowMs: 60_000 }, trustProxy: true });
    const hit = (address: string) => bridge.fetch(new Request('http://b/dataproxy/heartbeat', { headers: { 'x-forwarded-for': `${address}, 10.0.0.1` } }));
    for (let index = 0; index < 3; index++) expect((await hit('198.51.100.1')).status).toBe(200);
    const limited = await hit('198.51.100.1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await hit('198.51.100.2')).status).toBe(200);
    expect(bridge.stats().rejected).toEqual({ rate_limited: 1 });
  });

  it('forwarding without a stream allowlist is a ConfigError naming the option (no open relay)', () => {
    const error = captureError(() => createBridge({ dataproxy: ['http://127.0.0.1:1'] }));
    expect(isConfigError(error) && error.option).toBe('streams');
    expect(isConfigError(captureError(() => createBridge({ manager: { url: 'http://u:p@m', groupId: 'g' }, streams: ['g/s'] })))).toBe(true);
    expect(isConfigError(captureError(() => createBridge({ allowOrigins: ['https://a.example/path'] })))).toBe(true);
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Sends one request head with `bytes` of headers; resolves with whatever the server answered. */
function headerFlood(port: number, bytes: number): Promise<{ reply: string; error?: string }> {
  return new Promise((resolve) => {
    let error: string | undefined;
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    let sent = 0;
    const timer = setTimeout(() => socket.destroy(), 10_000);
    const line = `X-Flood: ${'a'.repeat(65_000)}\r\n`;
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')));
    // EPIPE/ECONNRESET are an expected ending: the server closed on us mid-flood.
    socket.on('error', (failure: NodeJS.ErrnoException) => {
      error = failure.code ?? failure.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ reply, error });
    });
    const pump = (): void => {
      while (sent < bytes && !socket.destroyed) {
        sent += line.length;
        if (!socket.write(line)) return void socket.once('drain', pump);
      }
      if (!socket.destroyed) socket.end('\r\n');
    };
    socket.on('connect', () => {
      socket.write('POST /dataproxy/message HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      pump();
    });
  });
}
