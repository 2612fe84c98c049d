import { Agent, request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeAddress, startDataProxy, type DataProxyNode, type DataProxyOptions } from '../helpers/dataproxy-fixture.js';
import { startManager, type ManagerFixture, type ManagerOptions } from '../helpers/manager-fixture.js';

const FORM = 'application/x-www-form-urlencoded';
const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function dataProxy(options?: DataProxyOptions): Promise<DataProxyNode> {
  const dp = await startDataProxy(options);
  stops.push(dp.stop);
  return dp;
}

async function manager(options: ManagerOptions): Promise<ManagerFixture> {
  const mgr = await startManager(options);
  stops.push(mgr.stop);
  return mgr;
}

async function post(url: string, body: string, contentType = FORM, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...extra, 'content-type': contentType };
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** A raw `node:http` POST: unlike fetch it adds no Content-Type of its own. */
function rawPost(url: string, body: string, headers: Record<string, string>, agent: Agent | false = false) {
  return new Promise<{ connection: string | undefined; text: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-length': String(Buffer.byteLength(body)), ...headers }, agent }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ connection: res.headers.connection, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const message = (dp: DataProxyNode, query = '') => `${dp.url}/dataproxy/message${query}`;

/** The fetch failure's underlying socket error code (undici wraps it as `cause`). */
async function networkErrorCode(promise: Promise<unknown>): Promise<string | undefined> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code;
}

describe('DataProxy fixture: HTTP source behaviour (spec 1)', () => {
  it('answers success with the exact bytes, JSON content type, and stores the item', async () => {
    const dp = await dataProxy();
    const res = await post(message(dp), 'groupId=g&streamId=s&dt=1700000000000&cnt=2&body=a%0Ab');
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"code":"0","msg":"Ok"}');
    expect(res.headers.get('content-type')).toBe('application/json;charset=utf-8');
    expect(dp.received).toHaveLength(1);
    expect(dp.received[0]).toMatchObject({ groupId: 'g', streamId: 's', dt: 1700000000000, cnt: 2, body: 'a\nb' });
    expect(dp.records()).toEqual(['a', 'b']);
    expect(dp.requests[0]?.headers['content-type']).toBe(FORM);
    expect(dp.requests[0]?.code).toBe('0');
  });

  it('rejects a charset suffix on the content type with code 36 and closes', async () => {
    const dp = await dataProxy();
    const res = await post(message(dp), 'groupId=g&streamId=s&body=a', `${FORM};charset=UTF-8`);
    expect(JSON.parse(res.text)).toEqual({ code: '36', msg: `Only support [${FORM}] content type!` });
    expect(res.headers.get('connection')).toBe('close');
    expect(dp.received).toHaveLength(0);
  });

  it('decodes like Netty: `;` splits, `+` is a space, `#` ends, body overrides query, first value wins', async () => {
    const dp = await dataProxy();
    await post(message(dp, '?groupId=q&streamId=s'), 'groupId=g;groupId=ignored&body=a+b%3Bc%E2%82%AC#&cnt=9');
    expect(dp.received[0]).toMatchObject({ groupId: 'g', streamId: 's', body: 'a b;c€', cnt: 1 });
  });

  it('ignores a POST body without Content-Type (code 100) and fails a bad % escape with 2147483647', async () => {
    const dp = await dataProxy();
    // fetch would label a string body `text/plain;charset=UTF-8` (→ 36), so send it raw.
    expect((await rawPost(message(dp), 'groupId=g&streamId=s&body=a', {})).text).toContain('"code":"100"');
    const bad = await post(message(dp), 'groupId=g&streamId=s&body=%zz');
    expect(bad.text).toMatch(/^\{"code":"2147483647","msg":"Process message failure: invalid hex byte/);
    expect(bad.headers.get('connection')).toBe('close');
  });

  it('validates in order 100, 101, 103, 111 and wraps JSONP replies', async () => {
    const dp = await dataProxy();
    const code = async (form: string) => JSON.parse((await post(message(dp), form)).text).code as string;
    expect(await code('streamId=s&body=a')).toBe('100');
    expect(await code('groupId=g&streamId=%20&body=a')).toBe('101');
    expect(await code('groupId=g&streamId=s')).toBe('103');
    expect(await code('groupId=g&streamId=s&body=+%09')).toBe('111');
    const jsonp = await fetch(message(dp, '?groupId=g&streamId=s&body=x&callback=cb'));
    expect(await jsonp.text()).toBe('cb({"code":"0","msg":"Ok"})');
  });

  it('answers methods, paths and heartbeat like the real source', async () => {
    const dp = await dataProxy();
    const options = await fetch(message(dp), { method: 'OPTIONS' });
    expect(options.status).toBe(200);
    expect(JSON.parse(await options.text()).code).toBe('32');
    expect([...options.headers.keys()].some((name) => name.startsWith('access-control-'))).toBe(false);
    expect(JSON.parse(await (await fetch(`${dp.url}/other?x=1`)).text()).code).toBe('35');
    expect(await (await fetch(`${dp.url}/dataproxy/heartbeat?ignored`)).text()).toBe('{"code":"0","msg":"Ok"}');
    // Spec 1.2: favicon gets no reply at all.
    await expect(fetch(`${dp.url}/favicon.ico`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    // Spec 1.3: a request line over 4096 chars is a decode failure.
    expect(JSON.parse(await (await fetch(message(dp, `?x=${'a'.repeat(5000)}`))).text()).code).toBe('31');
  });

  it('returns 413 with an empty body when the encoded form exceeds maxMsgLength', async () => {
    const dp = await dataProxy({ maxMsgLength: 100 });
    const res = await post(message(dp), `groupId=g&streamId=s&body=${'x'.repeat(100)}`);
    expect(res.status).toBe(413);
    expect(res.text).toBe('');
    expect(dp.received).toHaveLength(0);
    expect(dp.requests[0]?.status).toBe(413);
  });

  it('answers 115 for streams outside the allowlist', async () => {
    const dp = await dataProxy({ allowedStreams: ['g/s'] });
    expect((await post(message(dp), 'groupId=g&streamId=t&body=a')).text).toBe(
      '{"code":"115","msg":"Topic not configured for groupId(g),streamId(,t)"}',
    );
    expect((await post(message(dp), 'groupId=g&streamId=s&body=a')).text).toContain('"code":"0"');
    dp.setAllowedStreams(null);
    expect((await post(message(dp), 'groupId=g&streamId=t&body=b')).text).toContain('"code":"0"');
    expect(dp.records()).toEqual(['a', 'b']);
  });
});

describe('DataProxy fixture: fault injection', () => {
  const form = 'groupId=g&streamId=s&body=r';

  it('replies with injected codes in FIFO order, leaving heartbeats alone', async () => {
    const dp = await dataProxy();
    dp.inject({ code: 114, times: 2 });
    dp.inject({ code: 2147483647 });
    expect(await (await fetch(`${dp.url}/dataproxy/heartbeat`)).text()).toBe('{"code":"0","msg":"Ok"}');
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(JSON.parse((await post(message(dp), form)).text).code);
    expect(codes).toEqual(['114', '114', '2147483647', '0']);
    expect(dp.records()).toEqual(['r']);
  });

  it('sinkNotReady hits heartbeats too (spec 1.2)', async () => {
    const dp = await dataProxy();
    dp.inject({ sinkNotReady: true, times: 2 });
    expect(await (await fetch(`${dp.url}/dataproxy/heartbeat`)).text()).toBe('{"code":"1","msg":"Service sink not ready"}');
    expect(JSON.parse((await post(message(dp), form)).text).code).toBe('1');
    expect(JSON.parse((await post(message(dp), form)).text).code).toBe('0');
  });

  it('sends HTTP errors with Retry-After, garbage 200s, resets and late answers', async () => {
    const dp = await dataProxy();
    dp.inject({ httpStatus: 503, retryAfter: '2' });
    dp.inject({ nonJson: true });
    dp.inject({ reset: true });
    dp.inject({ delayMs: 80 });
    const unavailable = await post(message(dp), form);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('2');
    const garbage = await post(message(dp), form);
    expect(garbage.status).toBe(200);
    expect(() => JSON.parse(garbage.text)).toThrow();
    expect(await networkErrorCode(post(message(dp), form))).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
    const started = Date.now();
    expect((await post(message(dp), form)).text).toBe('{"code":"0","msg":"Ok"}');
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(dp.records()).toEqual(['r']);
    expect(dp.requests.map((r) => r.status)).toEqual([503, 200, null, 200]);
  });

  it('hang never answers; kill() refuses connections and revive() brings the node back', async () => {
    const dp = await dataProxy();
    dp.inject({ hang: true });
    const hung = fetch(message(dp), { method: 'POST', headers: { 'content-type': FORM }, body: form, signal: AbortSignal.timeout(100) });
    await expect(hung).rejects.toThrow();
    expect(dp.requests[0]?.status).toBeNull();
    await dp.kill();
    expect(await networkErrorCode(fetch(message(dp)))).toBe('ECONNREFUSED');
    await dp.revive();
    expect((await post(message(dp), form)).text).toBe('{"code":"0","msg":"Ok"}');
  });
});

describe('Manager fixture (spec 2)', () => {
  const auth = { id: 'admin', key: 'secret' };
  const authorization = `Basic ${Buffer.from('admin:secret').toString('base64')}`;

  it('requires Basic auth, POST, and returns the spec 2.4 envelope filtered by protocolType', async () => {
    const dp = await dataProxy();
    const mgr = await manager({ groupNodes: { g1: [nodeAddress(dp), { ip: '10.0.0.9', port: 46801, protocolType: 'TCP' }] }, auth });
    expect((await post(`${mgr.url}/g1`, 'protocolType=HTTP')).status).toBe(403);
    expect((await post(`${mgr.url}/g1`, '', FORM, { authorization: 'Basic Zm9vOmJhcg==' })).status).toBe(403);
    expect((await fetch(`${mgr.url}/g1`, { headers: { authorization } })).status).toBe(405);
    const http = await post(`${mgr.url}/g1`, 'ip=1.2.3.4&protocolType=HTTP', FORM, { authorization });
    expect(http.status).toBe(200);
    expect(JSON.parse(http.text)).toEqual({
      success: true,
      errMsg: null,
      data: {
        clusterId: 1,
        reportSourceType: null,
        isIntranet: null,
        isSwitch: null,
        load: 20,
        maxPacketLength: null,
        nodeList: [{ id: 1, ip: '127.0.0.1', port: dp.port, protocolType: 'HTTP', nodeLoad: 0 }],
      },
    });
    const tcp = JSON.parse((await post(`${mgr.url}/g1?protocolType=tcp`, '', FORM, { authorization })).text);
    expect(tcp.data.nodeList).toEqual([{ id: 2, ip: '10.0.0.9', port: 46801, protocolType: 'TCP', nodeLoad: 0 }]);
    expect(JSON.parse((await post(`${mgr.url}/g1`, '', FORM, { authorization })).text).data.nodeList).toHaveLength(2);
    expect(mgr.requests.at(-1)?.headers.authorization).toBe(authorization);
  });

  it('answers unknown groups with success:false, follows setNodes, and injects HTTP errors', async () => {
    const mgr = await manager({ groupNodes: {} });
    expect(JSON.parse((await post(`${mgr.url}/nope`, '')).text)).toMatchObject({ success: false, data: null });
    mgr.setNodes('nope', [{ ip: '127.0.0.1', port: 1 }]);
    mgr.inject({ httpStatus: 502 });
    expect((await post(`${mgr.url}/nope`, '')).status).toBe(502);
    expect(JSON.parse((await post(`${mgr.url}/nope`, '')).text).data.nodeList[0].port).toBe(1);
  });
});

// Spec 1.9: a keep-alive connection survives a normal reply; closing codes end it.
describe('DataProxy fixture: connection handling', () => {
  it('keeps the connection after success and closes it after a closing error code', async () => {
    const dp = await dataProxy();
    const agent = new Agent({ keepAlive: true });
    stops.push(async () => agent.destroy());
    const send = (body: string, contentType: string) => rawPost(message(dp), body, { 'content-type': contentType }, agent);
    expect((await send('groupId=g&streamId=s&body=a', FORM)).connection).not.toBe('close');
    expect((await send('groupId=g&streamId=s&body=a', 'text/plain')).connection).toBe('close');
  });
});
