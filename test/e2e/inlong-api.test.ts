import { afterEach, describe, expect, it } from 'vitest';
import { InLongApi, SdkCode, ConfigError, type SendCallback } from '../../src/index.js';
import { startDataProxy, nodeAddress, type DataProxyNode } from '../helpers/dataproxy-fixture.js';
import { startManager, type ManagerFixture } from '../helpers/manager-fixture.js';

/** Fast timings so retries and deadlines happen within a test's budget. */
const FAST = { pack_timeout: 20, retryBaseMs: 5, retryMaxMs: 40, nodeParkMs: 200, requestTimeoutMs: 2000 };

const servers: Array<DataProxyNode | ManagerFixture> = [];
const apis: InLongApi[] = [];
afterEach(async () => {
  await Promise.all(apis.splice(0).map((api) => api.closeApi(0)));
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function node(options?: Parameters<typeof startDataProxy>[0]): Promise<DataProxyNode> {
  const started = await startDataProxy(options);
  servers.push(started);
  return started;
}

async function api(config: object): Promise<InLongApi> {
  const client = new InLongApi();
  apis.push(client);
  expect(await client.initApi(config)).toBe(0);
  return client;
}

interface Failure {
  groupId: string;
  streamId: string;
  msg: string;
  msgLen: number;
  reportTime: number;
  reason: string;
}

function recorder(): { failures: Failure[]; callback: SendCallback } {
  const failures: Failure[] = [];
  return {
    failures,
    callback: (groupId, streamId, msg, msgLen, reportTime, _ip, error) => failures.push({ groupId, streamId, msg, msgLen, reportTime, reason: error.reason }),
  };
}

const sorted = (values: string[]): string[] => [...values].sort();
const allRecords = (nodes: DataProxyNode[]): string[] => nodes.flatMap((dp) => dp.records());

describe('InLongApi → DataProxy HTTP source', () => {
  it('delivers N messages byte-identical across streams and nodes', async () => {
    const nodes = [await node(), await node()];
    const client = await api({ ...FAST, dataproxyUrls: nodes.map((dp) => dp.url), pack_size: 2000 });
    const sent: string[] = [];
    for (let index = 0; index < 600; index++) {
      const msg = `{"n":${index},"text":"é€😀 a&b;c#d+e%f"}`;
      sent.push(msg);
      expect(client.send('group_a', `stream_${index % 3}`, msg)).toBe(SdkCode.kSuccess);
    }
    await client.flush();
    expect(sorted(allRecords(nodes))).toEqual(sorted(sent));
    expect(nodes.every((dp) => dp.received.length > 0)).toBe(true);
    for (const item of nodes.flatMap((dp) => dp.received)) expect(item.cnt).toBe(item.records.length);
    const streams = new Set(nodes.flatMap((dp) => dp.received.map((item) => item.streamId)));
    expect(streams).toEqual(new Set(['stream_0', 'stream_1', 'stream_2']));
  });

  it('keeps a message containing \\n intact in a pack of its own', async () => {
    const dp = await node();
    const client = await api({ ...FAST, dataproxyUrls: [dp.url] });
    client.send('g', 's', 'one');
    client.send('g', 's', 'line 1\nline 2');
    client.send('g', 's', 'two');
    await client.flush();
    const bodies = dp.received.map((item) => item.body);
    expect(bodies).toContain('line 1\nline 2');
    expect(dp.received.find((item) => item.body === 'line 1\nline 2')?.cnt).toBe(1);
    expect(sorted(dp.received.filter((item) => item.cnt > 1 || item.body !== 'line 1\nline 2').flatMap((item) => item.records))).toEqual(['one', 'two']);
  });

  it('never sends a Content-Type with a charset suffix', async () => {
    const dp = await node();
    const client = await api({ ...FAST, dataproxyUrls: [dp.url] });
    for (let index = 0; index < 20; index++) client.send('g', `s${index % 4}`, `m${index}`);
    await client.flush();
    expect(dp.requests.length).toBeGreaterThan(0);
    for (const request of dp.requests) expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(dp.requests.every((request) => request.code === '0')).toBe(true);
  });

  it.each([
    ['code 1 (sink not ready)', { code: 1 }],
    ['code 2 (service closed)', { code: 2 }],
    ['code 114 (channel put failure)', { code: 114 }],
    ['code 2147483647 (unknown)', { code: 2147483647 }],
    ['HTTP 503', { httpStatus: 503 }],
    ['HTTP 500', { httpStatus: 500 }],
    ['a reset connection', { reset: true as const }],
    ['a non-JSON 200', { nonJson: true as const }],
  ])('retries %s to success', async (_name, fault) => {
    const dp = await node();
    const { failures, callback } = recorder();
    const client = await api({ ...FAST, dataproxyUrls: [dp.url] });
    dp.inject({ ...fault, times: 2 });
    for (let index = 0; index < 10; index++) client.send('g', 's', `m${index}`, callback);
    await client.flush();
    expect(sorted(dp.records())).toEqual(sorted(Array.from({ length: 10 }, (_, index) => `m${index}`)));
    expect(failures).toEqual([]);
    expect(client.stats()?.retried).toBeGreaterThanOrEqual(2);
  });

  it('fails caller errors once, without retrying, through each message callback', async () => {
    const dp = await node({ allowedStreams: ['g/good'] });
    const { failures, callback } = recorder();
    const client = await api({ ...FAST, dataproxyUrls: [dp.url] });
    client.sendWithTime('g', 'bad', 'x1', 1_700_000_000_000, callback);
    client.send('g', 'bad', 'x2', callback);
    client.send('g', 'good', 'ok', callback);
    await client.flush();
    expect(dp.records()).toEqual(['ok']);
    expect(failures.map((failure) => [failure.msg, failure.reason, failure.msgLen])).toEqual([
      ['x1', '115', 2],
      ['x2', '115', 2],
    ]);
    expect(failures[0]?.reportTime).toBe(1_700_000_000_000);
    const badRequests = dp.requests.filter((request) => request.bodyText.includes('streamId=bad'));
    expect(badRequests).toHaveLength(1);
  });

  it('fails over to another node when one dies', async () => {
    const [alive, dead] = [await node(), await node()];
    await dead.kill();
    const { failures, callback } = recorder();
    const client = await api({ ...FAST, dataproxyUrls: [dead.url, alive.url], retryTimes: 5 });
    for (let index = 0; index < 50; index++) client.send('g', `s${index % 5}`, `m${index}`, callback);
    await client.flush();
    expect(alive.records()).toHaveLength(50);
    expect(failures).toEqual([]);
  });

  it('with every node down, reports each message exactly once and closeApi keeps its deadline', async () => {
    const dp = await node();
    await dp.kill();
    const { failures, callback } = recorder();
    const client = new InLongApi();
    await client.initApi({ ...FAST, dataproxyUrls: [dp.url], retryTimes: 1000, retryBaseMs: 50 });
    const sent = Array.from({ length: 40 }, (_, index) => `m${index}`);
    for (const msg of sent) client.send('g', 's', msg, callback);
    const started = Date.now();
    expect(await client.closeApi(300)).toBe(0);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(1500);
    expect(sorted(failures.map((failure) => failure.msg))).toEqual(sorted(sent));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(failures).toHaveLength(sent.length);
    expect(client.send('g', 's', 'late')).toBe(SdkCode.kSendBeforeInit);
  });

  it('gives up after retry_times and calls back once per message', async () => {
    const dp = await node();
    dp.inject({ code: 114, times: Infinity });
    const { failures, callback } = recorder();
    const client = await api({ ...FAST, dataproxyUrls: [dp.url], retry_times: 2 });
    client.send('g', 's', 'a', callback);
    client.send('g', 's', 'b', callback);
    await client.flush();
    expect(sorted(failures.map((failure) => failure.msg))).toEqual(['a', 'b']);
    expect(failures.every((failure) => failure.reason === '114')).toBe(true);
    expect(dp.requests.filter((request) => request.url.startsWith('/dataproxy/message'))).toHaveLength(3);
  });
});

describe('several instances', () => {
  it('keep their own config, buffers and callbacks', async () => {
    const [left, right] = [await node(), await node()];
    right.inject({ code: 115, times: Infinity });
    const leftFailures = recorder();
    const rightFailures = recorder();
    const a = await api({ ...FAST, dataproxyUrls: [left.url] });
    const b = await api({ ...FAST, dataproxyUrls: [right.url], ext_pack_size: 10 });
    a.setDefaultCallback(leftFailures.callback);
    b.setDefaultCallback(rightFailures.callback);
    expect(a.send('g', 's', 'a long message for a')).toBe(SdkCode.kSuccess);
    expect(b.send('g', 's', 'a long message for b')).toBe(SdkCode.kMsgTooLong);
    expect(b.send('g', 's', 'short')).toBe(SdkCode.kSuccess);
    await Promise.all([a.flush(), b.flush()]);
    expect(left.records()).toEqual(['a long message for a']);
    expect(right.records()).toEqual([]);
    expect(leftFailures.failures).toEqual([]);
    expect(rightFailures.failures.map((failure) => failure.msg)).toEqual(['short']);
    await a.closeApi(100);
    expect(a.send('g', 's', 'x')).toBe(SdkCode.kSendBeforeInit);
    expect(b.send('g', 's', 'y')).toBe(SdkCode.kSuccess);
  });
});

describe('InLongApi with Manager discovery', () => {
  it('discovers nodes with Basic auth sent to the Manager only', async () => {
    const dp = await node();
    const manager = await startManager({ groupNodes: { g1: [nodeAddress(dp)] }, auth: { id: 'admin', key: 's3cret' } });
    servers.push(manager);
    const client = await api({ 'init-param': { inlong_group_ids: 'g1', manager_url: manager.url, need_auth: true, auth_id: 'admin', auth_key: 's3cret', pack_timeout: 20 } });
    for (let index = 0; index < 5; index++) client.send('g1', 's', `m${index}`);
    await client.flush();
    expect(sorted(dp.records())).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(manager.requests.length).toBeGreaterThan(0);
    const expected = `Basic ${Buffer.from('admin:s3cret').toString('base64')}`;
    for (const request of manager.requests) {
      expect(request.method).toBe('POST');
      expect(request.headers.authorization).toBe(expected);
      expect(request.protocolType).toBe('HTTP');
    }
    for (const request of dp.requests) expect(request.headers.authorization).toBeUndefined();
  });

  it('keeps the last good list when a refresh fails, and picks up a new node on refresh', async () => {
    const first = await node();
    const second = await node();
    const manager = await startManager({ groupNodes: { g1: [nodeAddress(first)] } });
    servers.push(manager);
    const client = await api({ ...FAST, groupIds: ['g1'], managerUrl: manager.url, managerUpdateIntervalMs: 1000 });
    client.send('g1', 's', 'before');
    await client.flush();
    expect(first.records()).toEqual(['before']);
    manager.inject({ httpStatus: 502, times: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    client.send('g1', 's', 'during');
    await client.flush();
    expect(first.records()).toContain('during');
    manager.setNodes('g1', [nodeAddress(second)]);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    client.send('g1', 's', 'after');
    await client.flush();
    expect(second.records()).toEqual(['after']);
  });
});

describe('InLongApi bad input', () => {
  it('answers the C++ codes and loses nothing already accepted', async () => {
    const dp = await node();
    const client = await api({ ...FAST, dataproxyUrls: [dp.url], ext_pack_size: 1000, recv_buf_size: 5000, pack_timeout: 60_000 });
    expect(client.send('g', 's', 'x'.repeat(1001))).toBe(SdkCode.kMsgTooLong);
    expect(client.send('', 's', 'x')).toBe(SdkCode.kInvalidInput);
    expect(client.send('g', '', 'x')).toBe(SdkCode.kInvalidInput);
    expect(client.send('g', 's', '')).toBe(SdkCode.kInvalidInput);
    const accepted: string[] = [];
    let code: number = SdkCode.kSuccess;
    for (let index = 0; code === SdkCode.kSuccess; index++) {
      const msg = `${index}:${'y'.repeat(490)}`;
      code = client.send('g', 's', msg);
      if (code === SdkCode.kSuccess) accepted.push(msg);
    }
    expect(code).toBe(SdkCode.kRecvBufferFull);
    expect(accepted.length).toBeGreaterThan(5);
    await client.flush();
    expect(sorted(dp.records())).toEqual(sorted(accepted));
    expect(client.send('g', 's', 'room again')).toBe(SdkCode.kSuccess);
  });

  it('answers 22 before init and after close', async () => {
    const client = new InLongApi();
    expect(client.send('g', 's', 'x')).toBe(SdkCode.kSendBeforeInit);
    const dp = await node();
    await client.initApi({ dataproxyUrls: [dp.url] });
    expect(await client.initApi({ dataproxyUrls: [dp.url] })).toBe(SdkCode.kMultiInit);
    await client.closeApi(100);
    expect(client.send('g', 's', 'x')).toBe(SdkCode.kSendBeforeInit);
  });

  it('throws ConfigError naming the option', async () => {
    await expect(new InLongApi().initApi({ pack_sise: 1 })).rejects.toThrow(ConfigError);
    await expect(new InLongApi().initApi({ pack_sise: 1 })).rejects.toThrow(/pack_sise/);
    await expect(new InLongApi().initApi({ pack_timeout: 'soon' })).rejects.toThrow(/pack_timeout.*number/);
    await expect(new InLongApi().initApi('{not json')).rejects.toThrow(ConfigError);
    await expect(new InLongApi().initApi({ need_auth: true })).rejects.toThrow(/auth_id/);
    await expect(new InLongApi().initApi({})).rejects.toThrow(/destination/);
    const failed = new InLongApi();
    await expect(failed.initApi({ retry_times: -1 })).rejects.toThrow(/retry_times/);
    expect(failed.send('g', 's', 'x')).toBe(SdkCode.kSendAfterClose);
  });

  it('reads a C++ style config file by path', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dp = await node();
    const dir = await mkdtemp(join(tmpdir(), 'inlong-'));
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ 'init-param': { dataproxyUrls: [dp.url], pack_timeout: 10, log_level: 3, tcp_idle_time: 600000 } }));
    const client = new InLongApi();
    apis.push(client);
    expect(await client.initApi(file)).toBe(0);
    client.send('g', 's', 'from file');
    await client.flush();
    expect(dp.records()).toEqual(['from file']);
  });
});
