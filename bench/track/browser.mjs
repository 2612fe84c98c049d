// Chromium: synchronous main-thread time of each `track()` through the `<script>` build.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT } from './config.mjs';
import { countForms } from './forms.mjs';
import { median, percentile } from './stats.mjs';

/** Browser calls between flushes (see pageBench). */
export const BROWSER_BURST = 500;
export const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

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
    const api = globalThis.InLong;
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

/**
 * Rejects after `ms` with `what` in the message, so a page that never answers (a `flush()` that
 * hangs) is a reported failure instead of a bench stopped by run.mjs's timeout with no section.
 * @example await within(page.evaluate(run), 60_000, 'tracking');
 */
export function within(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Navigates, retrying a navigation Chromium aborted (`net::ERR_ABORTED`) or timed out; returns the retries used. */
async function gotoRetrying(page, url, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(url, { timeout: 30_000 });
      return attempt - 1;
    } catch (error) {
      if (attempt >= attempts) throw error;
      process.stderr.write(`browser: navigation failed (${error.message.split('\n')[0]}), retrying\n`);
    }
  }
}

/** Main-thread busy time of the page so far (CDP Performance.getMetrics `TaskDuration`), ms. */
async function mainThreadMs(session) {
  const { metrics } = await session.send('Performance.getMetrics');
  return (metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN) * 1000;
}

export async function browser(config) {
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
    const navigationRetries = await gotoRetrying(page, server.url);
    const setup = await within(page.evaluate(pageBench, { ...params, phase: 'setup' }), 120_000, 'Chromium warm-up');
    if (setup.pending) return { pending: setup.pending, version: instance.version() };
    const busyBefore = await mainThreadMs(session);
    const receivedBefore = server.received.records;
    const result = await within(page.evaluate(pageBench, { ...params, phase: 'run' }), 180_000, 'Chromium timed calls');
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
      navigationRetries,
    };
  } catch (error) {
    return { skipped: `Chromium run failed: ${error.message.split('\n')[0]}` };
  } finally {
    await instance?.close().catch((error) => process.stderr.write(`browser: closing Chromium failed: ${error.message}\n`));
    await server.close();
  }
}
