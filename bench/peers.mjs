#!/usr/bin/env node
// `npm run bench:peers`: what tracking costs the page's main thread, inlong-js against five
// analytics SDKs, in one headless Chromium, one harness and one run.
//
//   node bench/peers.mjs                 writes bench/results-peers.md
//   node bench/peers.mjs --quick         small counts (for trying changes, not for reporting)
//   node bench/peers.mjs --rounds=5 --events=500 --only=inlong,posthog   (the idle baseline always runs)
//   node bench/peers.mjs --stress=inlong,amplitude --stress-events=10500  (heavy-page phase; --stress= skips it)
//
// Two phases, one Chromium, one harness. The comparison: rounds in which every SDK runs once,
// in an order rotated by one each round so the machine's load drifts over all SDKs alike; one
// SDK-round is a fresh browser context, the SDK's page (served cross-origin isolated: 5 µs
// timer), its init settled, then (1) tracking: the same events for every SDK, from
// bench/track/mix.mjs, one per task at 50 events/s (issue 14's example page), each call timed;
// (2) settle: until the SDK's stand-in holds every event and nothing is in flight, plus a short
// tail. The heavy page (first, inlong-js by default): 10,500 events at 2,000 events/s, for
// track()'s median and p99 over 10,000 calls and the long tasks. Main-thread time over (1)+(2)
// comes from CDP `Performance.getMetrics`: TaskDuration, the summed durations of the renderer
// main thread's top-level tasks as Blink's task-time observer adds them (the sum a trace's
// top-level tasks give, without tracing's overhead on the page measured or a trace to parse per
// round; bench/peers/trace-check.mjs compares the two), and ThreadTime, that thread's CPU time,
// which other processes on the cores inflate less. The same round's idle baseline (the same page
// and driver, no SDK) is subtracted.
//
// Files: bench/peers/sdks.mjs (each SDK: bundle, config, call), page.mjs (page and driver),
// stand-ins.mjs + decode.mjs (the endpoints), round.mjs (one SDK-round), summary.mjs, report.mjs,
// trace-check.mjs (TaskDuration against a trace, run by hand).
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BROWSER_ARGS } from './track/browser.mjs';
import { ROOT } from './track/config.mjs';
import { makeEvents } from './track/mix.mjs';
import { pageHtml } from './peers/page.mjs';
import { peersMarkdown } from './peers/report.mjs';
import { runRound } from './peers/round.mjs';
import { loadFiles, SDKS } from './peers/sdks.mjs';
import { startStandIns } from './peers/stand-ins.mjs';
import { summarize } from './peers/summary.mjs';

const RESULTS_FILE = join(ROOT, 'bench/results-peers.md');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function parseArgs(argv) {
  const quick = argv.includes('--quick');
  const number = (name, fallback) => Number(argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
  const ids = (name, fallback) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3).split(',').filter(Boolean) ?? fallback;
  const only = ids('only', undefined);
  return {
    quick,
    // The comparison: one event per task every 20 ms, the 50 events/s of issue 14's example page.
    paced: { rounds: number('rounds', quick ? 2 : 3), events: number('events', quick ? 100 : 300), warm: number('warm', quick ? 20 : 50), burst: 1, intervalMs: 20 },
    // A heavy page: 10,000 timed calls (after `warm` untimed-for-statistics ones) at 2,000 events/s.
    stress: { ids: ids('stress', ['inlong']), events: number('stress-events', quick ? 2_100 : 10_500), warm: number('stress-warm', quick ? 100 : 500), burst: 20, intervalMs: 10 },
    // No paced round starts past this: the whole bench stays inside run.mjs's 5-minute limit.
    budgetMs: number('budget', 230) * 1000,
    only: only ? new Set(['none', ...only]) : undefined,
  };
}

/** Events of the mix as the page tracks them: `track` keeps its name; user operations become named events. */
function pageEvents(count, seed) {
  return makeEvents(count, seed).map(({ kind, params }) => ({ name: kind === 'track' ? params.event : kind === 'userSet' ? 'user_set' : 'user_add', properties: params.properties }));
}

async function launch(chromium) {
  // Nothing may leave the machine: any host but 127.0.0.1 fails to resolve (and is reported).
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...BROWSER_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] });
}

/** Runs `sdks` once each with the phase's events, in `order`; relaunches Chromium if it died. */
async function runSet(env, sdks, phase, seed, label) {
  const events = pageEvents(phase.events, seed);
  const params = { ...env.params, burst: phase.burst, intervalMs: phase.intervalMs, warm: phase.warm };
  const results = [];
  for (const sdk of sdks) {
    if (!env.browser.isConnected()) env.browser = await launch(env.chromium);
    process.stderr.write(`${label}: ${sdk.id}…`);
    const result = await runRound({ browser: env.browser, server: env.server, sdk, events, params });
    const busy = result.ok ? (result.tracking.taskMs + result.settle.taskMs).toFixed(0) : '';
    process.stderr.write(result.ok ? ` ${result.delivered}/${sdk.baseline ? 0 : events.length} delivered, ${busy} ms busy\n` : ` FAILED: ${result.failure}\n`);
    results.push(result);
  }
  return results;
}

async function measure(args, sdks) {
  const { chromium } = await import('playwright-core');
  const files = await loadFiles(sdks);
  const pages = Object.fromEntries(sdks.map((sdk) => [sdk.id, pageHtml(sdk)]));
  const server = await startStandIns({ pages, files });
  if (server.bridgeError) throw new Error(server.bridgeError);
  const env = { chromium, server, browser: await launch(chromium), params: { stepTimeoutMs: 20_000, settleMaxMs: 20_000, quietMs: 300, tailMs: 250 } };
  const version = env.browser.version();
  const started = performance.now();
  const stressSdks = sdks.filter((sdk) => sdk.baseline || args.stress.ids.includes(sdk.id));
  const rounds = [];
  let stress = [];
  try {
    // The heavy-page phase first: it is short and bounded, and the rounds below fill the budget.
    if (stressSdks.length > 1) stress = await runSet(env, stressSdks, args.stress, 1, 'stress');
    let longest = 0;
    for (let round = 0; round < args.paced.rounds; round++) {
      if (round > 0 && performance.now() - started + longest > args.budgetMs) break;
      const begun = performance.now();
      const order = sdks.map((_, index) => sdks[(index + round) % sdks.length]);
      rounds.push(await runSet(env, order, args.paced, 7 + round, `round ${round + 1}/${args.paced.rounds}`));
      longest = Math.max(longest, performance.now() - begun);
    }
  } finally {
    await env.browser.close().catch((error) => process.stderr.write(`closing Chromium: ${error.message}\n`));
    await server.close();
  }
  return { rounds, stress, stressSdks, version, params: env.params, seconds: (performance.now() - started) / 1000 };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const sdks = SDKS.filter((sdk) => !args.only || args.only.has(sdk.id));
  const started = performance.now();
  let text;
  try {
    if (!existsSync(join(ROOT, 'dist/inlong.global.js'))) throw new Error('dist/inlong.global.js is missing: run `npx tsup` first');
    const run = await measure(args, sdks);
    const summary = summarize(run.rounds, sdks, args.paced.events);
    const stress = summarize(run.stress.length ? [run.stress] : [], run.stressSdks, args.stress.events);
    text = peersMarkdown({ summary, stress, run, args, sdks, seconds: (performance.now() - started) / 1000 });
  } catch (error) {
    // The section is still written: `npm run bench` shows why there are no numbers.
    process.exitCode = 1;
    text = `## Page cost: main-thread time per event, inlong-js vs peers (Chromium)\n\nNot measured: ${error.stack ?? error.message}\n`;
  }
  await writeFile(RESULTS_FILE, text);
  console.log(text);
}

await main();
