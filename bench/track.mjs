#!/usr/bin/env node
// What one `track()` costs, from the call to gzipped bytes ready on the wire, for inlong-js and
// for thinkingdata-node in the same process, plus wire bytes, memory under 1,000,000 events and
// main-thread time per call in Chromium.
//
//   node bench/track.mjs                 everything, writes bench/results-track.md
//   node bench/track.mjs --quick         small counts, for trying changes (not for reporting)
//   node bench/track.mjs --skip-memory --skip-browser    or --only=throughput,wire
//
// Both SDKs get the same event mix, batches of 20 records and gzip on, and both send to an
// in-memory sink instead of the network: inlong-js through an injected `transport` (bridge
// mode, so packs are gzipped), thinkingdata-node through a fake `requestLib` under its own
// BatchConsumer. Everything else (record build, validation, JSON, packing, gzip) is the
// libraries' own code.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as tick } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);
const RESULTS_FILE = join(ROOT, 'bench/results-track.md');
const require = createRequire(import.meta.url);

const FULL = { events: 100_000, runs: 5, warmup: 20_000, wireEvents: 10_000, memoryEvents: 1_000_000, browserWarmup: 2_000, browserEvents: 10_000 };
const QUICK = { events: 10_000, runs: 3, warmup: 2_000, wireEvents: 2_000, memoryEvents: 50_000, browserWarmup: 200, browserEvents: 1_000 };
/** Records per batch for both SDKs: thinkingdata-node's default `batchSize`. */
const BATCH = 20;
/** Events produced between yields to the event loop, as a server handles requests in turns. */
const CHUNK = 1_000;
/**
 * The producer waits while this many events are produced but not yet acknowledged by the sink,
 * as a server sheds load under backpressure. inlong-js holds at most `recvBufSize` (10 MB)
 * and refuses beyond it; thinkingdata-node holds without limit. 10,000 of the mix stay under 10 MB.
 */
const WINDOW = 10_000;
const BEACON_BYTES = 64 * 1024;
/** A client that makes no progress for this long has lost records: fail rather than hang. */
const STALL_MS = 15_000;
/** Browser calls between flushes (see pageBench). */
const BROWSER_BURST = 500;
const SUPER_PROPERTIES = { app_version: '3.2.1', channel: 'web' };
const OK_REPLY = JSON.stringify({ code: 0, msg: 'success' });

// ---------------------------------------------------------------------------------------------
// The event mix: 70 % track with 8 properties (a date and a nested object among them), 20 %
// userSet, 10 % userAdd. Seeded, so every SDK and every run sees the same shapes and values.

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EVENT_NAMES = ['view_item', 'add_to_cart', 'begin_checkout', 'purchase'];
const CITIES = ['Berlin', 'Shenzhen', 'São Paulo', 'Lagos', 'Toronto'];

function trackProperties(random, i) {
  const items = 1 + Math.floor(random() * 5);
  const price = Math.round(random() * 20_000) / 100;
  return {
    page: `/products/${Math.floor(random() * 5_000)}`,
    product_id: `sku-${Math.floor(random() * 100_000)}`,
    price,
    quantity: items,
    currency: 'EUR',
    is_member: random() < 0.3,
    viewed_at: new Date(Date.UTC(2025, 0, 1) + i * 1_000),
    cart: { cart_id: `cart-${Math.floor(random() * 1e6)}`, items, total: Math.round(price * items * 100) / 100 },
  };
}

/** Fresh objects per call: thinkingdata-node rewrites Dates in place, so runs never share them. */
export function makeEvents(count, seed = 7) {
  const random = mulberry32(seed);
  const events = new Array(count);
  for (let i = 0; i < count; i++) {
    const distinctId = `user-${Math.floor(random() * 10_000)}`;
    const slot = i % 10;
    if (slot < 7) events[i] = { kind: 'track', params: { distinctId, event: EVENT_NAMES[i % 4], properties: trackProperties(random, i) } };
    else if (slot < 9) events[i] = { kind: 'userSet', params: { distinctId, properties: { name: `User ${i}`, plan: random() < 0.5 ? 'free' : 'pro', city: CITIES[i % 5] } } };
    else events[i] = { kind: 'userAdd', params: { distinctId, properties: { coins: Math.floor(random() * 100), visits: 1 } } };
  }
  return events;
}

// ---------------------------------------------------------------------------------------------
// In-memory sinks.

/**
 * gzip the way inlong-js does it on Node ≥ 18 (src/adapters/compression/gzip.ts picks
 * `CompressionStream`), wrapped to note how many packs and records each body holds: the sink
 * must answer one result per pack, and cannot read a gzip body without paying to inflate it.
 */
function countingGzip(notes) {
  const pipe = async (data, transform) => new Uint8Array(await new Response(new Blob([data]).stream().pipeThrough(transform)).arrayBuffer());
  return {
    name: 'compression-stream',
    async gzip(data) {
      const out = await pipe(data, new CompressionStream('gzip'));
      notes.set(out, data);
      return out;
    },
    gunzip: (data) => pipe(data, new DecompressionStream('gzip')),
  };
}

const CNT = Buffer.from('&cnt=');

/**
 * Packs and records in a multi-pack form body (one form per line, each with its `cnt`), read
 * from the bytes with memchr-speed searches so the sink costs the SDK under test next to nothing.
 */
function countFormBytes(bytes) {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let packs = 0;
  let records = 0;
  let start = 0;
  while (start < buffer.length) {
    const at = buffer.indexOf(CNT, start);
    if (at === -1) break;
    let index = at + CNT.length;
    let value = 0;
    while (buffer[index] >= 0x30 && buffer[index] <= 0x39) value = value * 10 + buffer[index++] - 0x30;
    packs += 1;
    records += value;
    const newline = buffer.indexOf(0x0a, index);
    if (newline === -1) break;
    start = newline + 1;
  }
  return { packs, records };
}

/** The same count from text (a form line, a body the bridge stand-in received). */
function countForms(text) {
  let packs = 0;
  let records = 0;
  for (const match of text.matchAll(/(?:^|&)cnt=(\d+)/gm)) {
    packs += 1;
    records += Number(match[1]);
  }
  return { packs, records };
}

const latin1 = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** A `Transport` that counts what it is given and acknowledges every pack, as the bridge does. */
function createInlongSink({ capture = false } = {}) {
  const notes = new WeakMap();
  const stats = { requests: 0, wireBytes: 0, records: 0, captured: [] };
  const transport = {
    name: 'memory-sink',
    async send(request) {
      const plain = typeof request.body === 'string';
      const raw = plain ? Buffer.from(request.body) : (notes.get(request.body) ?? request.body);
      const wire = plain ? raw.byteLength : request.body.byteLength;
      const { packs, records } = countFormBytes(raw);
      stats.requests += 1;
      stats.wireBytes += wire;
      stats.records += records;
      if (capture) stats.captured.push({ raw: latin1(raw), wire, records });
      const results = Array.from({ length: packs }, () => ({ code: '0', msg: 'Ok' }));
      return { status: 200, body: JSON.stringify({ code: '0', msg: 'Ok', results }) };
    },
  };
  return { transport, compressor: countingGzip(notes), stats };
}

/**
 * thinkingdata-node's BatchConsumer calls `config.requestLib.request(options, onResponse)` (the
 * `http`/`https` module); this stand-in takes the gzipped body and answers `{"code":0}`.
 */
function createTdSink({ capture = false } = {}) {
  const stats = { requests: 0, wireBytes: 0, records: 0, captured: [] };
  const response = { statusCode: 200, on: (event, listener) => (event === 'data' ? listener(OK_REPLY) : event === 'end' ? listener() : undefined) };
  const requestLib = {
    request(options, onResponse) {
      const chunks = [];
      return {
        on: () => undefined,
        write: (chunk) => chunks.push(chunk),
        end() {
          const records = Number(options.headers['TA-Integration-Count']);
          const bytes = chunks.reduce((total, chunk) => total + chunk.length, 0);
          stats.requests += 1;
          stats.wireBytes += bytes;
          stats.records += records;
          if (capture) stats.captured.push({ body: Buffer.concat(chunks), records });
          // A real socket answers on a later turn; so does this one.
          queueMicrotask(() => onResponse(response));
        },
      };
    },
  };
  return { requestLib, stats };
}

// ---------------------------------------------------------------------------------------------
// The two SDKs behind one shape: { sdk, stats, errors, drain(), close() }.

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

function createTdClient(options = {}) {
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

const createClient = (name, options) => (name === 'inlong-js' ? createInlongClient(options) : createTdClient(options));

/**
 * Calls the SDK for every event, yielding to the event loop every CHUNK events and waiting
 * while more than WINDOW are outstanding; `onChunk` sees the running count.
 */
async function produce(client, events, onChunk) {
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

// ---------------------------------------------------------------------------------------------
// Throughput: wall time from the first call until the sink holds every record, N events.

async function timedRun(name, count) {
  const events = makeEvents(count);
  const client = await createClient(name);
  const started = performance.now();
  await produce(client, events);
  await client.drain();
  const ms = performance.now() - started;
  await client.close();
  // Refused or lost records are reported, and only delivered ones count towards the rate.
  const delivered = client.stats.records;
  return { ms, eventsPerSecond: delivered / (ms / 1000), delivered, errors: client.errors.length, requests: client.stats.requests, waits: client.waits };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function throughput(config) {
  const names = ['inlong-js', 'thinkingdata-node'];
  for (const name of names) await timedRun(name, config.warmup);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  // Alternate the SDKs so drift in the machine (GC, thermal, noisy neighbours) hits both alike.
  for (let run = 0; run < config.runs; run++) {
    for (const name of names) {
      const result = await timedRun(name, config.events);
      runs[name].push(result);
      process.stderr.write(`  throughput ${name} run ${run + 1}/${config.runs}: ${Math.round(result.eventsPerSecond).toLocaleString('en-US')} events/s\n`);
    }
  }
  return names.map((name) => ({ name, runs: runs[name], median: median(runs[name].map((run) => run.eventsPerSecond)) }));
}

// ---------------------------------------------------------------------------------------------
// Wire: bytes per event before and after gzip, and how many events one 64 KiB beacon carries.

async function wire(config) {
  const events = makeEvents(config.wireEvents, 11);
  const inlong = await createClient('inlong-js', { capture: true });
  await produce(inlong, events);
  await inlong.drain();
  await inlong.close();
  const td = createTdClient({ capture: true });
  await produce(td, makeEvents(config.wireEvents, 11));
  await td.drain();
  await td.close();
  return { inlong: inlongWire(inlong.stats), td: tdWire(td.stats), beacon: beaconCapacity(inlong.stats.captured) };
}

function inlongWire({ captured }) {
  const records = captured.reduce((total, request) => total + request.records, 0);
  const forms = captured.flatMap((request) => request.raw.split('\n'));
  const json = forms.reduce((total, form) => total + Buffer.byteLength(new URLSearchParams(form).get('body') ?? ''), 0);
  return {
    records,
    jsonPerEvent: json / records,
    rawPerEvent: captured.reduce((total, request) => total + request.raw.length, 0) / records,
    gzipPerEvent: captured.reduce((total, request) => total + request.wire, 0) / records,
    perRequest: median(captured.map((request) => request.records)),
  };
}

function tdWire({ captured }) {
  const records = captured.reduce((total, request) => total + request.records, 0);
  const raw = captured.reduce((total, request) => total + gunzipSync(request.body).length, 0);
  return {
    records,
    jsonPerEvent: raw / records,
    rawPerEvent: raw / records,
    gzipPerEvent: captured.reduce((total, request) => total + request.body.length, 0) / records,
    perRequest: median(captured.map((request) => request.records)),
  };
}

/**
 * The most whole packs (as inlong-js forms them, 20 records each) whose multi-pack body fits
 * 64 KiB: gzipped at level 6 (CompressionStream's level) and as plain text.
 */
function beaconCapacity(captured) {
  const forms = captured.flatMap((request) => request.raw.split('\n'));
  const fits = (count, gzip) => {
    const body = Buffer.from(forms.slice(0, count).join('\n'), 'latin1');
    return (gzip ? gzipSync(body, { level: 6 }).length : body.length) <= BEACON_BYTES;
  };
  const records = (count) => forms.slice(0, count).reduce((total, form) => total + countForms(form).records, 0);
  const largest = (gzip) => {
    let low = 0;
    let high = forms.length;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (fits(middle, gzip)) low = middle;
      else high = middle - 1;
    }
    return { packs: low, events: records(low), saturated: low === forms.length };
  };
  return { gzip: largest(true), plain: largest(false) };
}

// ---------------------------------------------------------------------------------------------
// Memory: a child process with --expose-gc pushes 1,000,000 events through one client.

async function memoryChild(name, count) {
  const client = await createClient(name);
  const heap = () => process.memoryUsage().heapUsed;
  const settle = () => {
    globalThis.gc();
    globalThis.gc();
    return heap();
  };
  const before = settle();
  const samples = [];
  let peak = before;
  const step = Math.max(CHUNK, Math.floor(count / 10));
  const onChunk = (produced) => {
    peak = Math.max(peak, heap());
    if (produced % step === 0) samples.push({ events: produced, heapUsed: settle() });
  };
  const started = performance.now();
  for (let done = 0; done < count; done += 10_000) {
    // Built in slices so the input itself does not weigh on the heap being measured.
    const slice = makeEvents(Math.min(10_000, count - done), 100 + done);
    await produce(client, slice, onChunk);
  }
  await client.drain();
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  const after = settle();
  return { name, events: count, delivered: client.stats.records, errors: client.errors.length, firstError: client.errors[0] ? String(client.errors[0]) : undefined, before, after, peak, samples, waits: client.waits, seconds };
}

function runMemoryChild(name, count) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', THIS_FILE, '--child-memory', name, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`memory child for ${name} exited with ${code}`))));
  });
}

/** Flat: the settled heap at the end of the flow is within 2 MiB of where it was after the first tenth. */
const FLAT_BYTES = 2 * 1024 * 1024;
function growth(result) {
  const [first] = result.samples;
  const last = result.samples.at(-1);
  return first && last ? last.heapUsed - first.heapUsed : result.after - result.before;
}

// ---------------------------------------------------------------------------------------------
// Chromium: synchronous main-thread time of each `track()` through the `<script>` build.

const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Serves the page and the IIFE, and acknowledges whatever the client posts (a bridge stand-in). */
async function startPageServer() {
  const script = await readFile(join(ROOT, 'dist/inlong.global.js'));
  const received = { requests: 0, records: 0 };
  // Cross-origin isolation lifts Chromium's timer resolution from 100 µs to 5 µs.
  const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    if (request.method === 'GET' && url.pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...isolation });
      return response.end('<!doctype html><meta charset="utf-8"><title>track bench</title><script src="/inlong.global.js"></script>');
    }
    if (request.method === 'GET' && url.pathname === '/inlong.global.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', ...isolation });
      return response.end(script);
    }
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    let body = Buffer.concat(chunks);
    if (url.searchParams.get('compress') === 'gzip' || request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const { packs, records } = countForms(body.toString('latin1'));
    received.requests += 1;
    received.records += records;
    const results = Array.from({ length: packs }, () => ({ code: '0', msg: 'Ok' }));
    response.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    response.end(JSON.stringify({ code: '0', msg: 'Ok', results }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * Runs in the page. `setup` creates the client and warms it up; `run` times each call with
 * performance.now(). Calls go in bursts of `burst` with a flush after each, because one burst of
 * 10,000 would overflow the outbox's 2 MiB bound (no page tracks that fast) and time the drop
 * path instead of the normal one. Inputs are built before the timed loop.
 */
async function pageBench({ phase, warmup, count, burst }) {
  const properties = (i) => ({
    page: `/products/${i % 5000}`, product_id: `sku-${i}`, price: (i % 20000) / 100, quantity: 1 + (i % 5), currency: 'EUR',
    is_member: i % 3 === 0, viewed_at: new Date(Date.UTC(2025, 0, 1) + i * 1000), cart: { cart_id: `cart-${i}`, items: 1 + (i % 5), total: i % 997 },
  });
  if (phase === 'setup') {
    const api = globalThis.InLong ?? globalThis.InLongBundle?.InLong;
    if (typeof api?.init !== 'function') return { pending: 'dist/inlong.global.js exposes no InLong.init yet' };
    const client = api.init({ serverUrl: location.origin, groupId: 'bench_group', streamId: 'bench_stream' });
    globalThis.benchClient = client;
    for (let i = 0; i < warmup; i++) {
      client.track('view_item', properties(i));
      if ((i + 1) % burst === 0) await client.flush();
    }
    await client.flush();
    return { isolated: globalThis.crossOriginIsolated === true };
  }
  const client = globalThis.benchClient;
  const inputs = Array.from({ length: count }, (_, i) => properties(warmup + i));
  const times = new Float64Array(count);
  let syncMs = 0;
  const started = performance.now();
  for (let from = 0; from < count; from += burst) {
    const burstStart = performance.now();
    for (let i = from; i < Math.min(count, from + burst); i++) {
      const before = performance.now();
      client.track('view_item', inputs[i]);
      times[i] = performance.now() - before;
    }
    syncMs += performance.now() - burstStart;
    await client.flush();
  }
  const totalMs = performance.now() - started;
  const stats = typeof client.stats === 'function' ? client.stats() : undefined;
  return { times: Array.from(times), syncMs, totalMs, stats };
}

/** Main-thread busy time of the page so far (CDP Performance.getMetrics `TaskDuration`), ms. */
async function mainThreadMs(session) {
  const { metrics } = await session.send('Performance.getMetrics');
  return (metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN) * 1000;
}

async function browser(config) {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (error) {
    return { skipped: `playwright-core not loadable: ${error.message}` };
  }
  const server = await startPageServer();
  const params = { warmup: config.browserWarmup, count: config.browserEvents, burst: BROWSER_BURST };
  let instance;
  try {
    instance = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: BROWSER_ARGS });
    const page = await instance.newPage();
    const session = await page.context().newCDPSession(page);
    await session.send('Performance.enable');
    await page.goto(server.url);
    const setup = await page.evaluate(pageBench, { ...params, phase: 'setup' });
    if (setup.pending) return { pending: setup.pending, version: instance.version() };
    const busyBefore = await mainThreadMs(session);
    const receivedBefore = server.received.records;
    const result = await page.evaluate(pageBench, { ...params, phase: 'run' });
    const busyMs = (await mainThreadMs(session)) - busyBefore;
    const sorted = [...result.times].sort((a, b) => a - b);
    const resolution = sorted.find((value) => value > 0);
    return {
      version: instance.version(),
      count: config.browserEvents,
      medianUs: median(sorted) * 1000,
      p99Us: percentile(sorted, 99) * 1000,
      meanSyncUs: (result.syncMs / config.browserEvents) * 1000,
      busyUs: (busyMs / config.browserEvents) * 1000,
      wallUs: (result.totalMs / config.browserEvents) * 1000,
      resolutionUs: resolution === undefined ? undefined : resolution * 1000,
      isolated: setup.isolated,
      acknowledged: server.received.records - receivedBefore,
      stats: result.stats,
    };
  } catch (error) {
    return { skipped: `Chromium run failed: ${error.message.split('\n')[0]}` };
  } finally {
    await instance?.close();
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Report.

const int = (value) => Math.round(value).toLocaleString('en-US');
const fixed = (value, digits = 1) => value.toFixed(digits);
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

function throughputSection(results, config) {
  const [inlong, td] = results;
  const ratio = inlong.median / td.median;
  const rows = results.map((sdk) => {
    const rates = sdk.runs.map((run) => run.eventsPerSecond);
    const lost = sdk.runs.reduce((total, run) => total + (config.events - run.delivered), 0);
    const errors = sdk.runs.reduce((total, run) => total + run.errors, 0);
    const waits = sdk.runs.reduce((total, run) => total + run.waits, 0);
    return `| ${sdk.name} | **${int(sdk.median)}** | ${int(Math.min(...rates))} – ${int(Math.max(...rates))} | ${fixed(median(sdk.runs.map((run) => run.ms)))} | ${int(median(sdk.runs.map((run) => run.requests)))} | ${int(waits)} | ${int(lost)} / ${int(errors)} |`;
  });
  return [
    '## Throughput: `track()` to gzipped bytes on the wire (Node)',
    '',
    '| SDK | events/s (median) | range | ms per run (median) | requests per run | chunks held back by the window (all runs) | undelivered / errors (all runs) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `inlong-js / thinkingdata-node = **${fixed(ratio, 2)}×** (target ≥ 3×: ${ratio >= 3 ? 'met' : 'NOT met'}).`,
    '',
    `Method: ${config.runs} timed runs per SDK of ${int(config.events)} events each, after one warm-up run of ${int(config.warmup)}, the SDKs alternating run by run in one process; wall time (performance.now) from the first call until the in-memory sink holds every record; median of the runs. Event mix: 70 % \`track\` (8 properties incl. a Date and a nested object), 20 % \`userSet\`, 10 % \`userAdd\`, super properties set, produced in turns of ${int(CHUNK)} events with an event-loop yield between, the producer waiting (one yield at a time) while more than ${int(WINDOW)} events are unacknowledged. Batches of ${BATCH} records, gzip on. inlong-js: \`TDAnalytics\` + \`BatchConsumer\` in bridge mode (multi-pack form, gzip via CompressionStream: the compressor the SDK picks on Node ≥ 18, re-created in the bench only to note each body's pack count for the reply) with an injected transport acknowledging each pack; thinkingdata-node ${require('thinkingdata-node/package.json').version}: \`initWithBatchMode\` with its \`requestLib\` replaced by an in-memory stand-in (its own JSON, zlib gzip and request code still run).`,
    '',
  ].join('\n');
}

function wireSection({ inlong, td, beacon }, config) {
  const row = (name, stats) => `| ${name} | ${fixed(stats.jsonPerEvent)} | ${fixed(stats.rawPerEvent)} | ${fixed(stats.gzipPerEvent)} | ${fixed(stats.rawPerEvent / stats.gzipPerEvent, 2)}× | ${int(stats.perRequest)} |`;
  const capacity = (entry) => `${int(entry.events)} events (${entry.packs} packs${entry.saturated ? ', all captured packs fit: a lower bound' : ''})`;
  return [
    '## Wire: bytes per event',
    '',
    '| SDK | JSON record bytes | request body bytes before gzip | after gzip | gzip ratio | events per request (median) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('inlong-js (multi-pack form to the bridge)', inlong),
    row('thinkingdata-node (JSON array to /sync_server)', td),
    '',
    `Events per 64 KiB beacon (inlong-js multi-pack form body, whole packs of ${BATCH}): gzip ${capacity(beacon.gzip)}; uncompressed ${capacity(beacon.plain)}.`,
    '',
    `Method: ${int(config.wireEvents)} events of the same mix through each SDK with the sink keeping every request body. inlong-js form bodies are percent-encoded JSON lines (that is what "before gzip" counts); gzip as each SDK sends it (inlong-js: CompressionStream, default level; thinkingdata-node: zlib.gzip, default level). Beacon capacity: largest prefix of the captured packs whose body, gzipped at level 6, fits 65,536 bytes.`,
    '',
  ].join('\n');
}

function memorySection(results) {
  const rows = results.map((result) => {
    const change = growth(result);
    const settled = result.samples.map((sample) => sample.heapUsed);
    const verdict = change <= FLAT_BYTES ? 'flat' : 'GROWING';
    return `| ${result.name} | ${int(result.delivered)} / ${int(result.events)} | ${int(result.errors)} | ${mib(result.before)} | ${mib(result.after)} | ${mib(result.peak)} | ${mib(Math.min(...settled))} – ${mib(Math.max(...settled))} | ${change >= 0 ? '+' : ''}${mib(change)} | ${verdict} | ${fixed(result.seconds)} |`;
  });
  return [
    '## Memory: 1,000,000 events through one client, sink acknowledging',
    '',
    '| SDK | delivered | errors | heapUsed before | after | peak | settled during the run (min – max) | growth, first → last tenth | verdict | seconds |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...rows,
    '',
    `Method: a child process per SDK with \`--expose-gc\`; "before"/"after" and the settled samples are heapUsed after two forced GCs (before the first event, every tenth of the run, after close); "peak" is the largest heapUsed seen between chunks without forcing GC. The producer yields every ${int(CHUNK)} events and waits while more than ${int(WINDOW)} are unacknowledged (chunks held back: ${results.map((result) => `${result.name} ${int(result.waits)}`).join(', ')}). Flat = the settled heap grew at most ${mib(FLAT_BYTES)} from the first to the last tenth.`,
    '',
  ].join('\n');
}

function browserSection(result, config) {
  const head = '## Chromium: main-thread time per `track()`';
  if (result.skipped) return `${head}\n\nSkipped: ${result.skipped}\n`;
  if (result.pending) return `${head}\n\nPending: ${result.pending} (Chromium ${result.version}); the harness in bench/track.mjs runs as soon as it does.\n`;
  return [
    head,
    '',
    '| metric | value |',
    '| --- | ---: |',
    `| median per call | ${fixed(result.medianUs)} µs |`,
    `| p99 per call | ${fixed(result.p99Us)} µs |`,
    `| mean per call (timed loops / N) | ${fixed(result.meanSyncUs, 2)} µs |`,
    `| main-thread busy per event, incl. batching, compression, storage and delivery (CDP TaskDuration / N) | ${fixed(result.busyUs, 2)} µs |`,
    `| wall time per event until acknowledged (incl. waiting on the network) | ${fixed(result.wallUs, 2)} µs |`,
    `| timed records acknowledged by the stand-in bridge | ${int(result.acknowledged)} / ${int(result.count)} |`,
    ...(result.stats ? [`| client stats() after flush | ${Object.entries(result.stats).map(([key, value]) => `${key} ${typeof value === 'number' ? int(value) : value}`).join(', ')} |`] : []),
    '',
    `Method: Chromium ${result.version} headless (playwright-core, \`/usr/bin/chromium\`, ${BROWSER_ARGS.join(' ')}) loads \`dist/inlong.global.js\` from a page on 127.0.0.1 served cross-origin isolated (isolated: ${result.isolated}; smallest non-zero reading ${result.resolutionUs === undefined ? 'n/a' : `${fixed(result.resolutionUs)} µs`}: the timer's resolution). \`InLong.init({ serverUrl: location.origin, … })\`, ${int(config.browserWarmup)} warm-up calls, then ${int(result.count)} \`track('view_item', 8 properties)\` calls each timed with performance.now(), in bursts of ${BROWSER_BURST} with a \`flush()\` after each (outside the per-call timings, inside busy and wall time); inputs built before the loop.`,
    '',
  ].join('\n');
}

const PARTS = {
  throughput: async (config) => throughputSection(await throughput(config), config),
  wire: async (config) => wireSection(await wire(config), config),
  memory: async (config) => {
    const results = [];
    for (const name of ['inlong-js', 'thinkingdata-node']) results.push(await runMemoryChild(name, config.memoryEvents));
    return memorySection(results);
  },
  browser: async (config) => browserSection(await browser(config), config),
};

/** `--quick`, `--skip-<part>`, `--only=<part>[,<part>]`. */
function parseArgs(argv) {
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
  const parts = Object.keys(PARTS).filter((part) => (only ? only.includes(part) : !argv.includes(`--skip-${part}`)));
  return { quick: argv.includes('--quick'), parts };
}

async function main() {
  const memoryIndex = process.argv.indexOf('--child-memory');
  if (memoryIndex !== -1) {
    const [name, count] = process.argv.slice(memoryIndex + 1);
    process.stdout.write(JSON.stringify(await memoryChild(name, Number(count))));
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  const config = args.quick ? QUICK : FULL;
  const started = performance.now();
  const sections = [];
  for (const part of args.parts) {
    process.stderr.write(`${part}…\n`);
    sections.push(await PARTS[part](config));
  }
  sections.push(`_bench/track.mjs took ${fixed((performance.now() - started) / 1000)} s${args.quick ? ' (--quick: small counts, not for reporting)' : ''}._\n`);
  const text = sections.join('\n');
  await writeFile(RESULTS_FILE, text);
  console.log(text);
}

await main();
