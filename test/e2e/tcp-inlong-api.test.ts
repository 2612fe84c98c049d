/**
 * InLongApi over DataProxy's TCP source (msgType 7), against the TCP stand-in on 127.0.0.1, on
 * Node's `node:net` adapter. Faults as the real server produces them; what a user checks: every
 * message stored, callbacks, codes, and the stand-in's count of frames it would ack and lose.
 *
 * Duplicates: a frame DataProxy stored but whose ack never reached the client (a reset or
 * silence after storing) is resent by any at-least-once client and lands twice. The stand-in
 * marks those frames; the tests allow repeats of exactly their records and of nothing else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BatchConsumer, InLongApi, SdkCode, TDAnalytics, ConfigError, type SendCallback } from '../../src/index.js';
import { isTcpProtocolError } from '../../src/dataproxy/tcp/protocol-error.js';
import { startTcpDataProxy, type TcpDataProxyNode, type TcpDataProxyOptions, type TcpFault } from '../helpers/dataproxy-tcp-fixture.js';
import { startManager, type ManagerFixture } from '../helpers/manager-fixture.js';

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function node(options?: TcpDataProxyOptions): Promise<TcpDataProxyNode> {
  const started = await startTcpDataProxy(options);
  stops.push(started.stop);
  return started;
}

async function api(config: object): Promise<InLongApi> {
  const client = new InLongApi();
  stops.push(() => client.closeApi(0));
  expect(await client.initApi(config)).toBe(0);
  return client;
}

function recorder(): { failures: Array<{ msg: string; reason: string }>; callback: SendCallback } {
  const failures: Array<{ msg: string; reason: string }> = [];
  return { failures, callback: (_g, _s, msg, _len, _time, _ip, error) => failures.push({ msg, reason: error.reason }) };
}

const NO_LOSS = { trailingBytes: 0, cntMismatch: 0, corruptSnappy: 0, badFraming: 0, badFlags: 0 };

/**
 * Every sent message stored at least once; a message stored twice only when one of its copies
 * came in a frame stored without an ack. Returns the counts for the report.
 */
function checkDelivery(nodes: TcpDataProxyNode[], sent: string[]): { stored: number; repeats: number; storedWithoutAck: number } {
  const counts = new Map<string, number>();
  for (const record of nodes.flatMap((dp) => dp.records())) counts.set(record, (counts.get(record) ?? 0) + 1);
  const missing = sent.filter((msg) => !counts.has(msg));
  expect(missing, 'lost messages').toEqual([]);
  expect([...counts.keys()].filter((record) => !sent.includes(record)), 'records nobody sent').toEqual([]);
  const unacked = new Set(nodes.flatMap((dp) => dp.storedWithoutAck()));
  const repeated = [...counts].filter(([, count]) => count > 1).map(([record]) => record);
  expect(repeated.filter((record) => !unacked.has(record)), 'repeats of records whose frame was acked').toEqual([]);
  for (const dp of nodes) expect(dp.lost).toEqual(NO_LOSS);
  // Acks are read as they come: no connection ever passed DataProxy's 64 KiB unread-ack mark.
  for (const dp of nodes) expect(dp.closes.highWater).toBe(0);
  return { stored: [...counts.values()].reduce((a, b) => a + b, 0), repeats: repeated.length, storedWithoutAck: unacked.size };
}

/** Unicode and multi-line messages, all distinct. */
const messages = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => (index % 5 === 0 ? `line ${index}\nsecond line é€😀\r\nthird` : `{"n":${index},"text":"é€😀 a&b=c;d#e%f","pad":"${'x'.repeat(index % 300)}"}`));

const FAULTS: TcpFault[] = [
  { code: 114, times: 3 },
  { resetBeforeStore: true },
  { resetAfterStore: true },
  { code: 1 },
  { silentAfterStore: true },
  { resetAfterAck: true },
  { silent: true },
  { code: 2 },
  { closeOnFrame: true },
  { slowMs: 150 },
  { code: 114, times: 2 },
  { resetAfterStore: true },
];

describe('InLongApi → DataProxy TCP source', () => {
  it('C++ keys and Manager discovery (protocolType=TCP): 2,000 messages through 114s, resets and lost acks, 0 lost, 0 callbacks', async () => {
    const nodes = [await node(), await node()];
    const manager: ManagerFixture = await startManager({ groupNodes: { g1: nodes.map((dp) => ({ ip: '127.0.0.1', port: dp.port, protocolType: 'TCP' as const })) } });
    stops.push(manager.stop);
    for (const dp of nodes) for (const fault of FAULTS) dp.inject(fault);
    const { failures, callback } = recorder();
    const client = await api({
      'init-param': {
        inlong_group_ids: 'g1',
        manager_url: manager.url,
        protocol: 'tcp',
        msg_type: 7,
        enable_zip: true,
        min_zip_len: 256,
        max_proxy_num: 4,
        heart_beat_interval: 1000,
        tcp_idle_time: 600_000,
        pack_size: 16_384,
        pack_timeout: 20,
        retry_times: 20,
        per_groupid_thread_nums: 1,
        log_level: 2,
      },
      requestTimeoutMs: 400,
      retryBaseMs: 10,
      retryMaxMs: 100,
      nodeParkMs: 200,
    });
    const sent = messages(2000);
    sent.forEach((msg, index) => expect(client.send('g1', `s${index % 4}`, msg, callback)).toBe(SdkCode.kSuccess));
    await client.flush();
    expect(failures).toEqual([]);
    const result = checkDelivery(nodes, sent);
    expect(result.storedWithoutAck).toBeGreaterThan(0);
    expect(manager.requests.every((request) => request.protocolType === 'TCP')).toBe(true);
    const items = nodes.flatMap((dp) => dp.received);
    expect(items.every((item) => item.extField === 4 && (item.msgType === 7 || item.msgType === 0x27) && item.cnt === item.records.length)).toBe(true);
    expect(items.some((item) => item.compressed)).toBe(true);
    expect(items.every((item) => item.frameBytes <= 65_536)).toBe(true);
    expect(client.stats()).toMatchObject({ accepted: 2000, acked: 2000, failed: 0 });
    console.info(`tcp 2,000 messages: ${result.stored} records stored, ${result.repeats} repeated (all from ${result.storedWithoutAck} records stored without an ack), retried ${client.stats()?.retried}`);
  });

  it.each([1, 2, 114])('retries transient code %i on another node until acked', async (code) => {
    const nodes = [await node(), await node()];
    for (const dp of nodes) dp.inject({ code, times: 2 });
    const { failures, callback } = recorder();
    const client = await api({ dataproxyUrls: nodes.map((dp) => dp.url), pack_timeout: 10, retryBaseMs: 5, retryMaxMs: 20 });
    const sent = messages(30);
    for (const msg of sent) client.send('g', 's', msg, callback);
    await client.flush();
    expect(failures).toEqual([]);
    checkDelivery(nodes, sent);
    expect(nodes.reduce((sum, dp) => sum + (dp.acks.get(code) ?? 0), 0)).toBe(4);
  });

  it.each([100, 109, 115, 94, 95])('fails permanent code %i once per message through its callback, never resent', async (code) => {
    const dp = await node();
    dp.inject({ code, times: Infinity });
    const { failures, callback } = recorder();
    const client = await api({ dataproxyUrls: [dp.url], pack_timeout: 10, retryBaseMs: 5, packCount: 5 });
    const sent = messages(12);
    for (const msg of sent) client.send('g', 's', msg, callback);
    await client.flush();
    expect(failures.map((failure) => failure.msg).sort()).toEqual([...sent].sort());
    expect(new Set(failures.map((failure) => failure.reason))).toEqual(new Set([String(code)]));
    const frames = dp.acks.get(code) ?? 0;
    expect(frames).toBe(new Set(dp.received.map((item) => item.uniq)).size + frames);
    expect(dp.records()).toEqual([]);
    // One frame per pack: 12 messages, the multi-line ones alone, the rest 5 to a pack.
    expect(frames).toBeLessThanOrEqual(sent.length);
  });

  it('an unknown stream is 115 from DataProxy; ids a frame cannot carry are never sent and fail with 109', async () => {
    const dp = await node({ allowedStreams: ['g/known'] });
    const failures: Array<{ msg: string; reason: string; detail: string; permanent: boolean }> = [];
    const callback: SendCallback = (_g, _s, msg, _len, _time, _ip, error) => failures.push({ msg, reason: error.reason, detail: error.detail, permanent: error.permanent });
    const client = await api({ dataproxyUrls: [dp.url], pack_timeout: 10 });
    expect(client.send('g', 'unknown', 'x', callback)).toBe(SdkCode.kSuccess);
    expect(client.send('g', 'known', 'ok', callback)).toBe(SdkCode.kSuccess);
    const bad = [['grüppe', 's'], ['g', 's&t'], ['g=1', 's'], ['g', 's 1']] as const;
    for (const [groupId, streamId] of bad) expect(client.send(groupId, streamId, `never sent ${groupId}/${streamId}`, callback)).toBe(SdkCode.kSuccess);
    await client.flush();
    expect(dp.records()).toEqual(['ok']);
    expect(dp.received.map((item) => item.streamId).sort()).toEqual(['known']);
    expect(dp.acks.get(115)).toBe(1);
    expect(failures.find((failure) => failure.msg === 'x')).toMatchObject({ reason: '115', permanent: true });
    const refused = failures.filter((failure) => failure.msg.startsWith('never sent'));
    expect(refused).toHaveLength(bad.length);
    for (const failure of refused) expect(failure).toMatchObject({ reason: '109', permanent: true, detail: expect.stringMatching(/^not sent: (groupId|streamId) .*visible ASCII/) });
  });

  it('every node down: exactly one callback per message, and closeApi(300) keeps its deadline', async () => {
    const nodes = [await node(), await node()];
    for (const dp of nodes) await dp.kill();
    const { failures, callback } = recorder();
    const client = new InLongApi();
    await client.initApi({ dataproxyUrls: nodes.map((dp) => dp.url), retryTimes: 1000, retryBaseMs: 20, pack_timeout: 10 });
    const sent = messages(300);
    for (const msg of sent) client.send('g', 's', msg, callback);
    const started = Date.now();
    expect(await client.closeApi(300)).toBe(0);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(failures.map((failure) => failure.msg).sort()).toEqual([...sent].sort());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(failures).toHaveLength(sent.length);
    expect(new Set(failures.map((failure) => failure.reason))).toEqual(new Set(['closed']));
    expect(client.send('g', 's', 'late')).toBe(SdkCode.kSendBeforeInit);
  });

  it.each(['bad-magic', 'huge-length', 'unknown-type'] as const)('a node answering garbage (%s) is dropped with a TcpProtocolError; its packs land on the other, none lost', async (garbage) => {
    const [bad, good] = [await node(), await node()];
    bad.inject({ garbage, times: Infinity });
    const errors: unknown[] = [];
    const consumer = new BatchConsumer({ dataproxyUrls: [bad.url, good.url], groupId: 'g', streamId: 's', batchSize: 10, retryBaseMs: 5, retryMaxMs: 20, onError: (error) => errors.push(error) });
    const td = new TDAnalytics(consumer);
    stops.push(() => td.close());
    for (let index = 0; index < 100; index++) td.track({ distinctId: `d${index}`, event: 'buy', properties: { n: index } });
    await td.flush();
    const stored = good.records().map((record) => (JSON.parse(record) as { properties: { n: number } }).properties.n);
    expect(stored.sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    expect(bad.records()).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((error) => isTcpProtocolError(error))).toBe(true);
    expect((errors[0] as Error).message).toContain(bad.url);
    expect(bad.connections.endedByClient).toBeGreaterThan(0);
  });

  it('keeps one persistent connection, heartbeats it while idle, and survives the server idle timeout', async () => {
    const dp = await node({ maxReadIdleMs: 1500 });
    const client = await api({ dataproxyUrls: [dp.url], pack_timeout: 10, heart_beat_interval: 1000 });
    for (let round = 0; round < 3; round++) {
      client.send('g', 's', `round ${round}`);
      await client.flush();
      await new Promise((resolve) => setTimeout(resolve, 1700));
    }
    expect(dp.records()).toEqual(['round 0', 'round 1', 'round 2']);
    expect(dp.heartbeats).toBeGreaterThanOrEqual(2);
    expect(dp.connections.accepted).toBe(1);
    expect(dp.closes.idle).toBe(0);
  });

  it('refuses msg_type other than 7, a mixed node list and a bad heartbeat interval with a ConfigError', async () => {
    await expect(new InLongApi().initApi({ msg_type: 5, dataproxyUrls: ['tcp://127.0.0.1:1'] })).rejects.toThrow(/msg_type.*only 7/);
    await expect(new InLongApi().initApi({ dataproxyUrls: ['tcp://127.0.0.1:1', 'http://127.0.0.1:2'] })).rejects.toThrow(ConfigError);
    await expect(new InLongApi().initApi({ dataproxyUrls: ['tcp://127.0.0.1'] })).rejects.toThrow(/tcp:\/\/host:port/);
    await expect(new InLongApi().initApi({ heart_beat_interval: 200_000, dataproxyUrls: ['tcp://127.0.0.1:1'] })).rejects.toThrow(/heart_beat_interval.*at most 100000/);
    await expect(new InLongApi().initApi({ protocol: 'udp', managerUrl: 'http://m' })).rejects.toThrow(/protocol/);
  });
});
