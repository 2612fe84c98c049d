// One SDK in one round: a fresh browser context (empty storage and cache), the SDK's page, its
// init settled, then the measured phases. Main-thread time is read from CDP
// `Performance.getMetrics` at each phase boundary (see bench/peers.mjs for why).
import { within } from '../track/browser.mjs';
import { collect, drive } from './page.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Main-thread counters of the page so far, ms: TaskDuration (wall time inside tasks), ThreadTime (CPU). */
export async function mainThread(session) {
  const { metrics } = await session.send('Performance.getMetrics');
  const value = (name) => (metrics.find((metric) => metric.name === name)?.value ?? Number.NaN) * 1000;
  return { taskMs: value('TaskDuration'), cpuMs: value('ThreadTime'), clockMs: value('Timestamp'), at: performance.now() };
}

const delta = (from, to) => ({ taskMs: to.taskMs - from.taskMs, cpuMs: to.cpuMs - from.cpuMs, ms: to.at - from.at });

/** Waits until no request has been open or finished for `quietMs`, at most `maxMs`. */
export async function networkQuiet(server, quietMs, maxMs) {
  const until = performance.now() + maxMs;
  while (performance.now() < until) {
    const { inflight, last } = server.activity();
    if (inflight === 0 && Date.now() - last >= quietMs) return;
    await sleep(25);
  }
}

/** Waits until the stand-in holds `expected` of our events and nothing is in flight, at most `maxMs`. */
export async function delivered(server, id, expected, maxMs) {
  const until = performance.now() + maxMs;
  while (performance.now() < until) {
    if (server.counts(id).ours >= expected && server.activity().inflight === 0) return true;
    await sleep(10);
  }
  return false;
}

/**
 * Runs `sdk` once with `events`. Returns the phases' main-thread time, call times, long tasks,
 * what the stand-in received, and anything that went wrong (never throws for a page problem).
 */
export async function runRound({ browser, server, sdk, events, params }) {
  const context = await browser.newContext();
  const problems = [];
  const external = [];
  context.on('request', (request) => {
    if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) external.push(request.url());
  });
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message.split('\n')[0]}`));
    const session = await context.newCDPSession(page);
    await session.send('Performance.enable');
    server.begin(sdk.id);
    const opened = await mainThread(session);
    await page.goto(`${server.url}/page/${sdk.id}`, { waitUntil: 'load', timeout: params.stepTimeoutMs });
    await within(page.evaluate(() => window.__bench.ready), params.stepTimeoutMs, `${sdk.id} init`);
    // Init's own requests (PostHog's remote config, ...) finish before the measured phases.
    await networkQuiet(server, params.quietMs, params.stepTimeoutMs);
    await page.evaluate((list) => (window.__events = list), events);
    const initCounts = { ...server.counts(sdk.id) };
    const before = await mainThread(session);
    const run = await within(page.evaluate(drive, params), params.stepTimeoutMs + events.length * 5, `${sdk.id} tracking`);
    const tracked = await mainThread(session);
    const complete = await delivered(server, sdk.id, sdk.baseline ? 0 : events.length, params.settleMaxMs);
    const settledAt = performance.now();
    // The page still handles the last responses (callbacks, removing sent events from storage).
    await sleep(params.tailMs);
    const settled = await mainThread(session);
    const page_ = await page.evaluate(collect);
    const counts = server.counts(sdk.id);
    if (run.errors > 0) problems.push(`${run.errors} track() calls threw: ${run.firstError}`);
    problems.push(...page_.pageErrors);
    const inWindow = page_.longTasks.filter(([start]) => start >= run.start);
    return {
      id: sdk.id,
      ok: true,
      complete,
      init: delta(opened, before),
      tracking: delta(before, tracked),
      settle: delta(tracked, settled),
      settleWaitMs: settledAt - tracked.at,
      times: run.times,
      late: run.late,
      isolated: run.isolated,
      resolutionMs: page_.resolutionMs,
      longTasks: inWindow.map(([, duration]) => duration),
      initLongTasks: page_.longTasks.length - inWindow.length,
      delivered: counts.ours - (initCounts.ours ?? 0),
      initEvents: initCounts.ours,
      other: counts.other,
      unknown: counts.unknown,
      errors: counts.errors,
      requests: counts.requests - initCounts.requests,
      bytes: counts.bytes - initCounts.bytes,
      external,
      problems,
    };
  } catch (error) {
    return { id: sdk.id, ok: false, failure: error.message.split('\n')[0], external, problems };
  } finally {
    await context.close().catch((error) => problems.push(`context close: ${error.message}`));
  }
}
