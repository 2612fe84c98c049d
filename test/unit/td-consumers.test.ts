import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AsyncBatchConsumer,
  BatchConsumer,
  ConfigError,
  DebugConsumer,
  DeliveryError,
  LoggingConsumer,
  LoggingConsumerCore,
  RecordRejectedError,
  TDAnalytics,
  ValidationError,
  isDebugDeliveryError,
  type Clock,
  type Consumer,
  type DebugDeliveryError,
} from '../../src/index.js';
import { startDataProxy, type DataProxyNode } from '../helpers/dataproxy-fixture.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function dataProxy(): Promise<DataProxyNode> {
  const dp = await startDataProxy();
  cleanups.push(dp.stop);
  return dp;
}

/** A clock for record building: settable time, counted UUIDs; timers are the real ones. */
function testClock(start = new Date(2026, 0, 2, 3, 4, 5, 6).getTime()): Clock & { set(ms: number): void } {
  let now = start;
  let count = 0;
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    random: () => 0.5,
    uuid: () => `00000000-0000-4000-8000-${String(++count).padStart(12, '0')}`,
  };
}

/** Passes records on and keeps the exact JSON text the recording path built. */
function tee(inner: Consumer): Consumer & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    strict: inner.strict,
    add: (record) => {
      lines.push(JSON.stringify(record));
      inner.add(record);
    },
    flush: () => inner.flush(),
    close: () => inner.close(),
    addErrorListener: (listener) => inner.addErrorListener?.(listener),
  };
}

const FAST = { requestTimeoutMs: 2000, retryBaseMs: 5, retryMaxMs: 20, nodeParkMs: 0 };

describe('BatchConsumer', () => {
  it('delivers N records byte-identical, in batches of batchSize', async () => {
    const dp = await dataProxy();
    const consumer = tee(new BatchConsumer({ dataproxyUrls: [dp.url], groupId: 'g1', streamId: 's1', batchSize: 20, interval: 60, ...FAST }));
    const errors: Error[] = [];
    const td = new TDAnalytics(consumer, { onError: (error) => errors.push(error) }, { clock: testClock() });
    for (let index = 0; index < 45; index++) {
      td.track({ distinctId: `d${index}`, event: 'buy', properties: { index, text: 'a&b=c%d+e 中文 😀 "quoted" \\ back', at: new Date(2026, 0, 2), list: [1, { k: 'v' }] } });
    }
    td.userUnset({ accountId: 'a1', property: ['x', 'y'] });
    await td.flush();
    expect(dp.records()).toEqual(consumer.lines);
    expect(consumer.lines).toHaveLength(46);
    expect(dp.received.map((item) => [item.groupId, item.streamId, item.cnt])).toEqual([
      ['g1', 's1', 20],
      ['g1', 's1', 20],
      ['g1', 's1', 6],
    ]);
    expect(errors).toEqual([]);
    await td.close();
  });

  it('caches a batch that failed after its retries, drops the oldest beyond maxCacheSize, and resends the rest', async () => {
    const dp = await dataProxy();
    await dp.kill();
    const dropped: Array<{ error: Error; records: readonly string[] | undefined }> = [];
    const consumer = new BatchConsumer({
      dataproxyUrls: [dp.url],
      groupId: 'g',
      streamId: 's',
      batchSize: 2,
      interval: 60,
      maxCacheSize: 1,
      retryTimes: 1,
      onError: (error, records) => dropped.push({ error, records }),
      ...FAST,
    });
    const td = new TDAnalytics(consumer, {}, { clock: testClock() });
    for (const event of ['a', 'b', 'c', 'd']) td.track({ distinctId: 'd', event });
    await td.flush();
    expect(consumer.cachedBatches).toBe(1);
    expect(dropped).toHaveLength(1);
    expect(dropped[0]?.error).toBeInstanceOf(DeliveryError);
    expect(dropped[0]?.error.message).toMatch(/dropped from the failure cache/);
    const droppedEvents = (dropped[0]?.records ?? []).map((line) => (JSON.parse(line) as { '#event_name': string })['#event_name']);
    await dp.revive();
    await td.flush();
    const delivered = dp.records().map((line) => (JSON.parse(line) as { '#event_name': string })['#event_name']);
    expect([...droppedEvents, ...delivered].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(delivered).toHaveLength(2);
    expect(consumer.cachedBatches).toBe(0);
    await td.close();
  });

  it('reports a data error (code 115) without caching it', async () => {
    const dp = await dataProxy();
    dp.setAllowedStreams(['g/other']);
    const errors: Error[] = [];
    const consumer = new BatchConsumer({ dataproxyUrls: [dp.url], groupId: 'g', streamId: 's', ...FAST });
    const td = new TDAnalytics(consumer, { onError: (error) => errors.push(error) }, { clock: testClock() });
    td.track({ distinctId: 'd', event: 'e' });
    await td.flush();
    expect(consumer.cachedBatches).toBe(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ name: 'DeliveryError', reason: '115', permanent: true });
    await td.close();
  });

  it('checks its options at creation', () => {
    expect(() => new BatchConsumer({ dataproxyUrls: ['http://127.0.0.1:1'], groupId: '', streamId: 's' })).toThrow(ConfigError);
    expect(() => new BatchConsumer({ groupId: 'g', streamId: 's' })).toThrow(/no destination/);
    expect(() => new BatchConsumer({ dataproxyUrls: ['http://127.0.0.1:1'], groupId: 'g', streamId: 's', batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new BatchConsumer({ dataproxyUrls: ['http://127.0.0.1:1'], groupId: 'g', streamId: 's', nope: 1 } as never)).toThrow(/"nope"/);
  });
});

describe('AsyncBatchConsumer', () => {
  it('refuses records beyond queueSize with a RecordRejectedError and loses none it accepted', async () => {
    const dp = await dataProxy();
    const rejected: Error[] = [];
    const consumer = tee(new AsyncBatchConsumer({ dataproxyUrls: [dp.url], groupId: 'g', streamId: 's', queueSize: 3, flushSize: 10, interval: 60, ...FAST }));
    const td = new TDAnalytics(consumer, { onError: (error) => rejected.push(error) }, { clock: testClock() });
    for (let index = 0; index < 5; index++) td.track({ distinctId: 'd', event: 'e', properties: { index } });
    expect(rejected).toHaveLength(2);
    expect(rejected[0]).toBeInstanceOf(RecordRejectedError);
    expect(rejected[0]).toMatchObject({ reason: 'queueSize', record: consumer.lines[3] });
    await td.flush();
    expect(dp.records()).toEqual(consumer.lines.slice(0, 3));
    td.track({ distinctId: 'd', event: 'after' });
    await td.flush();
    expect(dp.records()).toHaveLength(4);
    expect(rejected).toHaveLength(2);
    await td.close();
  });
});

describe('DebugConsumer', () => {
  it('sends one record per request and surfaces code 115 through flush() and onError', async () => {
    const dp = await dataProxy();
    dp.setAllowedStreams(['g/ok']);
    const errors: Error[] = [];
    const consumer = new DebugConsumer({ dataproxyUrls: [dp.url], groupId: 'g', streamId: 's', ...FAST });
    const td = new TDAnalytics(consumer, { onError: (error) => errors.push(error) }, { clock: testClock() });
    td.track({ distinctId: 'd', event: 'e' });
    const failure = await td.flush().then(() => undefined, (error: unknown) => error);
    expect(isDebugDeliveryError(failure)).toBe(true);
    const debug = failure as DebugDeliveryError;
    expect(debug).toBeInstanceOf(DeliveryError);
    expect(debug.serverCode).toBe(115);
    expect(debug.serverMessage).toBe('Topic not configured for groupId(g),streamId(,s)');
    expect(JSON.parse(debug.record)).toMatchObject({ '#event_name': 'e' });
    expect(errors).toEqual([failure]);
    // A failure is reported once: the next flush has nothing to reject with.
    await expect(td.flush()).resolves.toBeUndefined();
    await td.close();
  });

  it('surfaces an injected code 100 with its message; every record travels alone; deviceId is added', async () => {
    const dp = await dataProxy();
    const consumer = new DebugConsumer({ dataproxyUrls: [dp.url], groupId: 'g', streamId: 's', deviceId: 'dev-1', ...FAST });
    const td = new TDAnalytics(consumer, {}, { clock: testClock() });
    td.track({ distinctId: 'd', event: 'one' });
    await td.flush();
    dp.inject({ code: 100, msg: 'groupId is blank' });
    td.track({ distinctId: 'd', event: 'two' });
    td.track({ distinctId: 'd', event: 'three' });
    await expect(td.flush()).rejects.toMatchObject({ serverCode: 100, serverMessage: 'groupId is blank', permanent: true });
    expect(dp.received.map((item) => item.cnt)).toEqual([1, 1]);
    expect(dp.records().map((line) => JSON.parse(line) as { properties: Record<string, unknown> }).map((record) => record.properties['#device_id'])).toEqual(['dev-1', 'dev-1']);
    await td.close();
  });

  it('forces strict validation, and dryRun validates without sending anything', async () => {
    const dp = await dataProxy();
    const td = new TDAnalytics(new DebugConsumer({ dataproxyUrls: [dp.url], groupId: 'g', streamId: 's', dryRun: true }), {}, { clock: testClock() });
    expect(td.strict).toBe(true);
    expect(() => td.track({ distinctId: 'd', event: '9bad' })).toThrow(ValidationError);
    td.track({ distinctId: 'd', event: 'good' });
    await td.flush();
    await td.close();
    expect(dp.requests).toHaveLength(0);
    // A dry run needs no destination at all.
    expect(() => new DebugConsumer({ groupId: 'g', streamId: 's', dryRun: true })).not.toThrow();
  });
});

describe('LoggingConsumer', () => {
  async function tempDir(): Promise<string> {
    const directory = await mkdtemp(join(tmpdir(), 'td-log-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    return directory;
  }
  const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n').filter(Boolean);

  it('writes daily files with a prefix every bufferSize records, creating the directory', async () => {
    const directory = join(await tempDir(), 'nested', 'logs');
    const clock = testClock();
    const consumer = tee(new LoggingConsumer({ directory, prefix: 'app', bufferSize: 2 }, { clock }));
    const td = new TDAnalytics(consumer, {}, { clock });
    td.track({ distinctId: 'd', event: 'a' });
    td.track({ distinctId: 'd', event: 'b' });
    td.userSet({ distinctId: 'd', properties: { n: 1 } });
    await td.flush();
    expect(await readdir(directory)).toEqual(['app.log.2026-01-02']);
    expect(await lines(join(directory, 'app.log.2026-01-02'))).toEqual(consumer.lines);
    clock.set(new Date(2026, 0, 3, 0, 0, 1).getTime());
    td.track({ distinctId: 'd', event: 'c' });
    await td.close();
    expect((await readdir(directory)).sort()).toEqual(['app.log.2026-01-02', 'app.log.2026-01-03']);
  });

  it('rotates hourly', async () => {
    const directory = await tempDir();
    const clock = testClock();
    const td = new TDAnalytics(new LoggingConsumer({ directory, rotateHourly: true, bufferSize: 1 }, { clock }), {}, { clock });
    td.track({ distinctId: 'd', event: 'a' });
    clock.set(new Date(2026, 0, 2, 4, 0, 0).getTime());
    td.track({ distinctId: 'd', event: 'b' });
    await td.close();
    expect((await readdir(directory)).sort()).toEqual(['log.2026-01-02-03', 'log.2026-01-02-04']);
  });

  it('splits by size into _0, _1, … and starts again at _0 on a new day', async () => {
    const directory = await tempDir();
    const clock = testClock();
    const probe = tee({ add: () => undefined, flush: async () => undefined, close: async () => undefined });
    new TDAnalytics(probe, {}, { clock: testClock() }).track({ distinctId: 'd', event: 'e' });
    const lineBytes = Buffer.byteLength(`${probe.lines[0] ?? ''}\n`);
    // Room for two lines: the third write finds the file full and opens the next one.
    const fileSize = (2 * lineBytes) / (1024 * 1024);
    const td = new TDAnalytics(new LoggingConsumer({ directory, fileSize, bufferSize: 1 }, { clock }), {}, { clock });
    for (let index = 0; index < 5; index++) td.track({ distinctId: 'd', event: 'e' });
    clock.set(new Date(2026, 0, 3, 1, 0, 0).getTime());
    td.track({ distinctId: 'd', event: 'e' });
    await td.close();
    expect((await readdir(directory)).sort()).toEqual(['log.2026-01-02_0', 'log.2026-01-02_1', 'log.2026-01-02_2', 'log.2026-01-03_0']);
    expect(await lines(join(directory, 'log.2026-01-02_0'))).toHaveLength(2);
    expect(await lines(join(directory, 'log.2026-01-02_2'))).toHaveLength(1);
  });

  it('reports a failed write with its lines, and needs a file system', async () => {
    const errors: Array<readonly string[] | undefined> = [];
    const fs = { mkdir: async () => undefined, append: async () => Promise.reject(new Error('disk full')), size: async () => 0 };
    const consumer = new LoggingConsumerCore({ directory: '/x', onError: (_error, records) => errors.push(records) }, { fs, clock: testClock() });
    const td = new TDAnalytics(consumer, {}, { clock: testClock() });
    td.track({ distinctId: 'd', event: 'e' });
    await td.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toHaveLength(1);
    expect(() => new LoggingConsumerCore({ directory: '/x' }, { clock: testClock() })).toThrow(/needs a file system \(Node or Deno\)/);
  });
});
