#!/usr/bin/env node
// Checks the figure bench/peers.mjs reads against a trace: for one SDK-round, CDP
// `Performance.getMetrics` TaskDuration over tracking + settle next to the sum of the top-level
// task durations on the page's renderer main thread (`CrRendererMain`) in a Chromium trace of
// the same window. Not part of `npm run bench` (tracing slows the page it measures); run it after
// changing how busy time is read.
//
//   node bench/peers/trace-check.mjs [sdk ...]      default: inlong segment
import { chromium } from 'playwright-core';
import { BROWSER_ARGS, within } from '../track/browser.mjs';
import { makeEvents } from '../track/mix.mjs';
import { drive, pageHtml } from './page.mjs';
import { delivered, mainThread, networkQuiet } from './round.mjs';
import { loadFiles, SDKS } from './sdks.mjs';
import { startStandIns } from './stand-ins.mjs';

const ids = process.argv.slice(2).length ? process.argv.slice(2) : ['inlong', 'segment'];
const sdks = SDKS.filter((sdk) => ids.includes(sdk.id));
const EVENTS = 300;
const params = { burst: 1, intervalMs: 20, warm: 0 };

/**
 * Top-level task time (ms) on the busiest CrRendererMain thread between two trace clock readings
 * (ms): 'toplevel' events not inside another one (a mojo message or a microtask checkpoint runs
 * inside a task, and is also marked toplevel).
 */
function traceBusy(trace, fromMs, toMs) {
  const events = JSON.parse(trace).traceEvents;
  const mains = new Set(events.filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain').map((event) => `${event.pid}:${event.tid}`));
  const perThread = new Map();
  for (const event of events) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.ph !== 'X' || !mains.has(thread) || !String(event.cat).split(',').includes('toplevel')) continue;
    if (event.ts < fromMs * 1000 || event.ts > toMs * 1000) continue;
    if (!perThread.has(thread)) perThread.set(thread, []);
    perThread.get(thread).push(event);
  }
  const outermost = (list) => {
    let total = 0;
    let end = -Infinity;
    for (const event of list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))) {
      if (event.ts < end) continue;
      total += (event.dur ?? 0) / 1000;
      end = event.ts + (event.dur ?? 0);
    }
    return total;
  };
  return Math.max(0, ...[...perThread.values()].map(outermost));
}

const files = await loadFiles(sdks);
const server = await startStandIns({ pages: Object.fromEntries(sdks.map((sdk) => [sdk.id, pageHtml(sdk)])), files });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: [...BROWSER_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] });
try {
  const events = makeEvents(EVENTS, 7).map(({ kind, params: event }) => ({ name: kind === 'track' ? event.event : kind === 'userSet' ? 'user_set' : 'user_add', properties: event.properties }));
  for (const sdk of sdks) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const session = await context.newCDPSession(page);
    await session.send('Performance.enable');
    server.begin(sdk.id);
    await page.goto(`${server.url}/page/${sdk.id}`);
    await within(page.evaluate(() => window.__bench.ready), 20_000, `${sdk.id} init`);
    await networkQuiet(server, 300, 20_000);
    await page.evaluate((list) => (window.__events = list), events);
    await browser.startTracing(page, { categories: ['toplevel'] });
    const before = await mainThread(session);
    await page.evaluate(drive, params);
    await delivered(server, sdk.id, EVENTS, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const after = await mainThread(session);
    const trace = (await browser.stopTracing()).toString('utf8');
    const metric = after.taskMs - before.taskMs;
    const traced = traceBusy(trace, before.clockMs, after.clockMs);
    console.log(`${sdk.label}: TaskDuration ${metric.toFixed(1)} ms, trace top-level tasks ${traced.toFixed(1)} ms (${((metric / traced - 1) * 100).toFixed(1)} %), ThreadTime ${(after.cpuMs - before.cpuMs).toFixed(1)} ms, ${server.counts(sdk.id).ours}/${EVENTS} delivered`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
