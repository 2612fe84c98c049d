// The markdown section of bench/peers.mjs: the tables, what was checked, and the method.

const int = (value) => (value === undefined || Number.isNaN(value) ? '–' : Math.round(value).toLocaleString('en-US'));
const fix = (value, digits = 1) => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));
const span = (range, digits = 1) => (range ? `${fix(range.min, digits)} – ${fix(range.max, digits)}` : '–');
const sum = (a, b) => Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((key) => [key, (a[key] ?? 0) + (b[key] ?? 0)]));
const list = (table) => Object.entries(table).map(([key, count]) => `${key} × ${count}`).join(', ');

function busyTable(entries, events) {
  const rows = entries.map((entry) => {
    if (entry.sdk.baseline) {
      return `| ${entry.sdk.label}: subtracted from every row | ${fix(entry.gross?.median)} | ${span(entry.gross)} | ${fix(entry.grossCpu?.median)} | – | – | – | – | – | – | ${entry.usable} / ${entry.attempted} |`;
    }
    const name = `${entry.sdk.label} ${entry.sdk.version()}`;
    const ratio = entry.sdk.id === 'inlong' ? '1.00×' : entry.ratio === undefined ? '–' : `**${fix(entry.ratio, 2)}×**`;
    const ratios = entry.ratioRange ? `${fix(entry.ratioRange.min, 2)} – ${fix(entry.ratioRange.max, 2)}×` : '–';
    const delivered = entry.sdk.baseline ? '–' : `${int(entry.delivered)} / ${int(entry.tracked)}`;
    const cpuRatio = entry.sdk.id === 'inlong' ? '1.00×' : entry.cpuRatio === undefined ? '–' : `${fix(entry.cpuRatio, 2)}×`;
    return `| ${name} | **${fix(entry.busy?.median)}** | ${span(entry.busy)} | ${fix(entry.cpu?.median)} | ${ratio} | ${ratios} | ${cpuRatio} | ${delivered} | ${int(entry.requests?.median)} | ${fix(entry.bytesPerEvent, 0)} | ${entry.usable} / ${entry.attempted} |`;
  });
  return [
    `| SDK | main-thread busy, µs per event (median) | range over rounds | CPU, µs per event (median) | × inlong-js (busy, medians) | × inlong-js per round (busy) | × inlong-js (CPU, medians) | events delivered / tracked | requests per round (median) | bytes on the wire per event | rounds used / run |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Per event = (main-thread time over tracking + settle − the same round's idle baseline) / ${int(events)} events. The baseline row is the idle page's own time per event slot (the driver's timers, the CDP reads), before any subtraction.`,
  ];
}

function callTable(entries, totalEvents) {
  const rows = entries.filter((entry) => !entry.sdk.baseline).map((entry) => {
    const longest = entry.longTasks.length ? `, longest ${int(Math.max(...entry.longTasks))} ms` : '';
    return `| ${entry.sdk.label} | ${int(entry.calls)} | ${fix(entry.callMedianUs)} | **${fix(entry.callP99Us)}** | ${int(entry.callMaxUs)} | **${entry.longTasks.length}**${longest} | ${entry.initLongTasks} | ${fix(entry.init?.median, 0)} |`;
  });
  return [
    `| SDK | timed calls | track() median, µs | track() p99, µs | max, µs | long tasks (> 50 ms) while tracking ${int(totalEvents)} events and settling | long tasks during load + init | load + init, main-thread ms (median, net of the idle page) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ];
}

function stressTable(entries, phase) {
  const rate = (phase.burst / phase.intervalMs) * 1000;
  const rows = entries.filter((entry) => !entry.sdk.baseline).map((entry) => {
    const longest = entry.longTasks.length ? `, longest ${int(Math.max(...entry.longTasks))} ms` : '';
    return `| ${entry.sdk.label} | ${int(entry.calls)} | ${fix(entry.callMedianUs)} | **${fix(entry.callP99Us)}** | ${int(entry.callMaxUs)} | **${entry.longTasks.length}**${longest} | ${fix(entry.busy?.median)} | ${fix(entry.cpu?.median)} | ${int(entry.delivered)} / ${int(entry.tracked)} | ${int(entry.requests?.median)} |`;
  });
  return [
    `### Heavy page: ${int(phase.events)} events at ${int(rate)} events/s (bursts of ${phase.burst} every ${phase.intervalMs} ms)`,
    '',
    `| SDK | timed calls | track() median, µs | track() p99, µs | max, µs | long tasks (> 50 ms) while tracking ${int(phase.events)} events and settling | main-thread busy, µs per event | CPU, µs per event | events delivered / tracked | requests |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `The first ${int(phase.warm)} calls are left out of the call times (they are in the busy time). One page, the same driver, stand-ins and baseline subtraction as the rounds above.`,
  ];
}

function configTable(sdks) {
  return [
    '| SDK | loaded as | endpoint stand-in | configuration |',
    '| --- | --- | --- | --- |',
    ...sdks.filter((sdk) => !sdk.baseline).map((sdk) => `| ${sdk.label} | ${sdk.loaded} | ${sdk.endpoint} | ${sdk.config} |`),
  ];
}

function verdict(entries) {
  const ranked = entries.filter((entry) => !entry.sdk.baseline && entry.busy).sort((a, b) => a.busy.median - b.busy.median);
  const inlong = ranked.find((entry) => entry.sdk.id === 'inlong');
  if (!inlong) return 'inlong-js was not measured in this run.';
  const others = ranked.filter((entry) => entry !== inlong);
  if (others.length === 0) return 'No peer was measured in this run.';
  if (ranked[0] === inlong) {
    const next = others[0];
    const cpuFirst = others.every((entry) => entry.cpuRatio > 1);
    return `inlong-js is the lightest: ${fix(inlong.busy.median)} µs per event; the next, ${next.sdk.label}, costs ${fix(next.ratio, 2)}× as much (${fix(next.busy.median)} µs; per-round ratio ${span(next.ratioRange, 2)}; CPU ${fix(next.cpuRatio, 2)}×). By CPU time inlong-js is ${cpuFirst ? 'also' : '**not**'} the lowest.`;
  }
  const lighter = ranked.slice(0, ranked.indexOf(inlong)).map((entry) => `${entry.sdk.label} (${fix(entry.busy.median)} µs, ${fix(entry.ratio, 2)}×)`);
  return `inlong-js is **not** the lightest: ${fix(inlong.busy.median)} µs per event; lighter: ${lighter.join(', ')}.`;
}

function checks(entries, stress) {
  const lines = [];
  for (const paced of entries) {
    const heavy = stress[paced.sdk.id];
    const entry = heavy ? { ...paced, failures: [...paced.failures, ...heavy.failures], other: sum(heavy.other, paced.other), unknown: sum(heavy.unknown, paced.unknown), errors: sum(heavy.errors, paced.errors), external: [...paced.external, ...heavy.external], problems: [...paced.problems, ...heavy.problems], late: paced.late + heavy.late } : paced;
    const notes = [];
    if (entry.failures.length) notes.push(`${entry.failures.length} rounds failed (${[...new Set(entry.failures)].join('; ')})`);
    if (!entry.sdk.baseline && entry.usable < entry.ran) notes.push(`${entry.ran - entry.usable} rounds not all delivered within the settle limit (left out of the medians)`);
    if (!entry.sdk.baseline && entry.ran > 0 && entry.delivered === 0) notes.push('**delivered nothing: not a measurement**');
    if (Object.keys(entry.other).length) notes.push(`other events received: ${list(entry.other)}`);
    if (Object.keys(entry.unknown).length) notes.push(`requests to no stand-in endpoint (404): ${list(entry.unknown)}`);
    if (Object.keys(entry.errors).length) notes.push(`error answers: ${list(entry.errors)}`);
    if (entry.external.length) notes.push(`requests off 127.0.0.1 (blocked): ${entry.external.slice(0, 5).join(', ')}`);
    if (entry.late) notes.push(`${entry.late} bursts started late (the page fell behind the pace)`);
    if (entry.problems.length) notes.push(`page: ${entry.problems.slice(0, 5).join('; ')}`);
    if (!entry.isolated && entry.ran > 0) notes.push('page was not cross-origin isolated (timer 100 µs)');
    lines.push(`- ${entry.sdk.label}: ${notes.length ? notes.join('; ') : 'every event delivered, no other events, no unknown or external requests, no page errors'}.`);
  }
  return lines;
}

/** The whole section. */
export function peersMarkdown({ summary, stress, run, args, sdks, seconds }) {
  const entries = sdks.map((sdk) => summary[sdk.id]);
  const stressEntries = run.stressSdks.map((sdk) => stress[sdk.id]);
  const inlong = summary.inlong;
  const { paced } = args;
  const rate = (paced.burst / paced.intervalMs) * 1000;
  return [
    '## Page cost: main-thread time per event, inlong-js vs peers (Chromium)',
    '',
    `### The comparison: ${int(paced.events)} events per SDK-round at ${int(rate)} events/s, ${run.rounds.length} round${run.rounds.length === 1 ? '' : 's'}`,
    '',
    ...busyTable(entries, paced.events),
    '',
    verdict(entries),
    '',
    ...callTable(entries, paced.events * run.rounds.length),
    '',
    `Timer: performance.now() steps by ${fix(inlong?.resolutionUs)} µs (pages cross-origin isolated: ${inlong?.isolated ? 'yes' : 'no'}); the first ${int(paced.warm)} calls of each round are left out of the call times (they are in the busy time).`,
    '',
    ...(stressEntries.some((entry) => entry && !entry.sdk.baseline) ? [...stressTable(stressEntries, args.stress), ''] : []),
    'Checks (what each stand-in received beyond the tracked events, and what went wrong), all phases:',
    '',
    ...checks(entries, stress),
    '',
    '### How each SDK was loaded and configured',
    '',
    ...configTable(sdks),
    '',
    `Method: ${run.rounds.length} round${run.rounds.length === 1 ? '' : 's'} (of ${paced.rounds} planned; no round starts after ${fix(args.budgetMs / 1000, 0)} s) in one headless Chromium ${run.version} (playwright-core, \`/usr/bin/chromium\`); in each round every SDK once, in an order rotated by one per round, each in a fresh browser context (empty storage and cache). The page (the same for all, served cross-origin isolated from one 127.0.0.1 server that also serves each SDK's endpoint stand-in on the same origin; any other host fails to resolve) loads the SDK, inits it and waits until its requests have been quiet for ${run.params.quietMs} ms (PostHog's remote config). Then ${int(paced.events)} events of the mix of bench/track/mix.mjs (seeded per round, the same for every SDK: 70 % commerce events with 8 properties incl. a Date and a nested object, 20 % \`user_set\` with 3, 10 % \`user_add\` with 2, each through the SDK's own track call) go ${paced.burst === 1 ? 'one per task' : `in bursts of ${paced.burst}`} every ${paced.intervalMs} ms (${int(rate)} events/s), each call timed with performance.now(). Settle: until the stand-in holds all of them and no request is open (at most ${fix(run.params.settleMaxMs / 1000, 0)} s), then ${run.params.tailMs} ms for the page to handle the last answers. Busy = CDP \`Performance.getMetrics\` TaskDuration over tracking + settle: the summed durations of the renderer main thread's top-level tasks (script, GC, storage callbacks, timers, network callbacks); CPU = ThreadTime, that thread's CPU time. TaskDuration rather than a trace: tracing slows the page it measures and every round would leave a trace to parse; \`node bench/peers/trace-check.mjs\` puts the two side by side (on this machine TaskDuration read 4–12 % above the trace's outermost top-level tasks, for every SDK alike). The round's baseline (same page and driver, \`track\` a no-op) is subtracted: its tracking phase, plus its idle rate times the SDK's settle time. Ratios: each peer's median over inlong-js's median; the per-round column divides within a round. Long tasks: a \`PerformanceObserver('longtask')\` registered before any SDK script.`,
    '',
    `Reading: this machine has 2 cores shared with other work, so absolute µs move between runs (busy time is wall time inside tasks, which a contended machine inflates; CPU time much less); the rounds alternate SDKs so drift hits all of them, and the ratios with their per-round range are the figures to compare. Each round is a page view: the first calls (compilation, storage opening) are in the busy time, as on a real page. A call that is the first in its task, after the thread slept, costs every SDK several times what the same call costs inside a burst (cold caches; the no-op baseline reads 0 µs), so the paced rounds' call times are higher than the heavy page's: both are what a page sees. SDKs that keep their queue in localStorage rewrite it per event, so their cost per event grows with the queue: the heavy-page phase would cost them far more than the paced rounds. A round counts only if every event reached its stand-in; a row that delivered nothing is not a measurement.`,
    '',
    `_bench/peers.mjs took ${fix(seconds)} s${args.quick ? ' (--quick: small counts, not for reporting)' : ''}._`,
    '',
  ].join('\n');
}
