// The two SDKs behind one shape: { sdk, stats, errors, drain(), close() }, and the producer
// that feeds either of them the event mix under the same backpressure.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as tick } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { BATCH, CHUNK, ROOT, WINDOW } from './config.mjs';
import { createInlongSink } from './inlong-sink.mjs';
import { createTdSink } from './td-sink.mjs';

const require = createRequire(import.meta.url);
/** A client that makes no progress for this long has lost records: fail rather than hang. */
const STALL_MS = 15_000;
const SUPER_PROPERTIES = { app_version: '3.2.1', channel: 'web' };

let inlongModule;
async function loadInlong() {
  inlongModule ??= await import(pathToFileURL(join(ROOT, 'dist/index.js')).href);
  if (typeof inlongModule.TDAnalytics !== 'function') throw new Error('dist/index.js has no TDAnalytics: run `npx tsup`');
  return inlongModule;
}

async function createInlongClient(options = {}) {
  const { TDAnalytics, BatchConsumer } = await loadInlong();
  const sink = createInlongSink(options);
  const errors = [];
  const consumer = new BatchConsumer(
    { bridgeUrl: 'http://sink.invalid', groupId: 'bench_group', streamId: 'bench_stream', batchSize: BATCH, compress: true },
    { transport: sink.transport, compressor: sink.compressor },
  );
  const sdk = new TDAnalytics(consumer, { onError: (error) => errors.push(error) });
  sdk.setSuperProperties(SUPER_PROPERTIES);
  return { name: 'inlong-js', sdk, stats: sink.stats, errors, produced: 0, waits: 0, drain: () => sdk.flush(), close: () => sdk.close() };
}

/**
 * inlong-js with nothing after the record: `TDAnalytics` over a consumer that only serialises
 * each record (no batching, gzip or delivery). Its rate is the ceiling any consumer can reach
 * with the same record building and JSON, the part every ThinkingData-style SDK must do.
 */
async function createRecordsOnlyClient() {
  const { TDAnalytics } = await loadInlong();
  const stats = { requests: 0, wireBytes: 0, records: 0, captured: [] };
  const errors = [];
  const consumer = {
    add(record) {
      stats.wireBytes += JSON.stringify(record).length;
      stats.records += 1;
    },
    flush: async () => undefined,
    close: async () => undefined,
  };
  const sdk = new TDAnalytics(consumer, { onError: (error) => errors.push(error) });
  sdk.setSuperProperties(SUPER_PROPERTIES);
  return { name: RECORDS_ONLY, sdk, stats, errors, produced: 0, waits: 0, drain: async () => undefined, close: async () => undefined };
}

export const RECORDS_ONLY = 'inlong-js records + JSON only';

export function createTdClient(options = {}) {
  const td = require('thinkingdata-node');
  const sink = createTdSink(options);
  const errors = [];
  const sdk = td.initWithBatchMode('bench-app', 'http://127.0.0.1:9', { batchSize: BATCH, compress: true });
  sdk.consumer.config.requestLib = sink.requestLib;
  sdk.setSuperProperties(SUPER_PROPERTIES);
  const client = { name: 'thinkingdata-node', sdk, stats: sink.stats, errors, produced: 0, waits: 0, close: async () => sdk.close() };
  // Its BatchConsumer gzips on the libuv pool and has no completion promise: wait for the sink.
  client.drain = async () => {
    sdk.flush();
    await waitUntil(client, () => outstanding(client) <= 0);
  };
  return client;
}

/** Events neither acknowledged by the sink nor reported as refused. */
const outstanding = (client) => client.produced - client.stats.records - client.errors.length;

/**
 * Yields until `done()`; throws when neither the sink nor the error list moved for STALL_MS, so
 * an SDK that silently drops records fails the bench instead of hanging it.
 */
async function waitUntil(client, done) {
  let last = -1;
  let since = performance.now();
  while (!done()) {
    const progress = client.stats.records + client.errors.length;
    if (progress !== last) [last, since] = [progress, performance.now()];
    else if (performance.now() - since > STALL_MS) throw new Error(`${client.name}: no record acknowledged or refused for ${STALL_MS} ms; ${outstanding(client)} outstanding`);
    await tick();
  }
}

export const createClient = (name, options) =>
  name === 'inlong-js' ? createInlongClient(options) : name === RECORDS_ONLY ? createRecordsOnlyClient() : createTdClient(options);

/**
 * Calls the SDK for every event, yielding to the event loop every CHUNK events and waiting
 * while more than WINDOW are outstanding; `onChunk` sees the running count.
 */
export async function produce(client, events, onChunk) {
  const offset = client.produced;
  for (let i = 0; i < events.length; i++) {
    const { kind, params } = events[i];
    client.sdk[kind](params);
    if ((i + 1) % CHUNK === 0) {
      client.produced = offset + i + 1;
      await tick();
      if (outstanding(client) > WINDOW) {
        client.waits += 1;
        await waitUntil(client, () => outstanding(client) <= WINDOW);
      }
      onChunk?.(client.produced);
    }
  }
  client.produced = offset + events.length;
}
