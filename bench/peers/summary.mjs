// From the rounds to per-SDK figures: net main-thread time per event (the same round's idle
// baseline subtracted), call times, long tasks, what was delivered.
import { median, percentile } from '../track/stats.mjs';

/**
 * Main-thread ms the idle page spends in a round of `sdk`'s length: the baseline's tracking
 * phase (driver, timers, CDP) plus its idle rate over the SDK's settle phase.
 */
function baselineFor(base, round, key) {
  const rate = base.settle.ms > 0 ? base.settle[key] / base.settle.ms : 0;
  return base.tracking[key] + rate * round.settle.ms;
}

/** Net µs per event of one complete round, for `key` ('taskMs' or 'cpuMs'). */
function perEvent(round, base, key, events) {
  return ((round.tracking[key] + round.settle[key] - baselineFor(base, round, key)) / events) * 1000;
}

const range = (values) => (values.length === 0 ? undefined : { median: median(values), min: Math.min(...values), max: Math.max(...values) });

function merge(tables) {
  const total = {};
  for (const table of tables) for (const [key, count] of Object.entries(table ?? {})) total[key] = (total[key] ?? 0) + count;
  return total;
}

/**
 * `rounds`: arrays of round results (one per SDK, baseline `none` among them). Returns one entry
 * per SDK id with medians and ranges over the rounds whose events all arrived.
 */
export function summarize(rounds, sdks, events) {
  const byId = {};
  for (const sdk of sdks) {
    const mine = rounds.map((round) => ({ round: round.find((entry) => entry.id === sdk.id), base: round.find((entry) => entry.id === 'none') }));
    const ran = mine.filter(({ round }) => round?.ok);
    const usable = ran.filter(({ round, base }) => base?.ok && (sdk.baseline || round.complete));
    const times = usable.flatMap(({ round }) => round.times).sort((a, b) => a - b);
    byId[sdk.id] = {
      sdk,
      attempted: mine.filter(({ round }) => round !== undefined).length,
      ran: ran.length,
      usable: usable.length,
      failures: mine.filter(({ round }) => round && !round.ok).map(({ round }) => round.failure),
      busy: range(usable.map(({ round, base }) => perEvent(round, base, 'taskMs', events))),
      cpu: range(usable.map(({ round, base }) => perEvent(round, base, 'cpuMs', events))),
      // Before the subtraction: for the baseline row, what every other row has had taken off.
      gross: range(usable.map(({ round }) => ((round.tracking.taskMs + round.settle.taskMs) / events) * 1000)),
      grossCpu: range(usable.map(({ round }) => ((round.tracking.cpuMs + round.settle.cpuMs) / events) * 1000)),
      init: range(usable.map(({ round, base }) => round.init.taskMs - base.init.taskMs)),
      trackingMs: range(usable.map(({ round }) => round.tracking.ms)),
      settleMs: range(usable.map(({ round }) => round.settleWaitMs)),
      perRound: mine.map(({ round, base }) => (round?.ok && base?.ok && (sdk.baseline || round.complete) ? perEvent(round, base, 'taskMs', events) : undefined)),
      calls: times.length,
      callMedianUs: times.length ? median(times) * 1000 : undefined,
      callP99Us: times.length ? percentile(times, 99) * 1000 : undefined,
      callMaxUs: times.length ? times.at(-1) * 1000 : undefined,
      resolutionUs: ran.length ? Math.max(...ran.map(({ round }) => round.resolutionMs)) * 1000 : undefined,
      isolated: ran.every(({ round }) => round.isolated),
      longTasks: ran.flatMap(({ round }) => round.longTasks),
      initLongTasks: ran.reduce((sum, { round }) => sum + round.initLongTasks, 0),
      tracked: ran.length * events,
      delivered: ran.reduce((sum, { round }) => sum + round.delivered, 0),
      requests: range(ran.map(({ round }) => round.requests)),
      bytesPerEvent: ran.length ? ran.reduce((sum, { round }) => sum + round.bytes, 0) / (ran.length * events) : undefined,
      late: ran.reduce((sum, { round }) => sum + round.late, 0),
      other: merge(ran.map(({ round }) => round.other)),
      unknown: merge(ran.map(({ round }) => round.unknown)),
      errors: merge(ran.map(({ round }) => round.errors)),
      external: [...new Set(mine.flatMap(({ round }) => round?.external ?? []))],
      problems: [...new Set(mine.flatMap(({ round }) => round?.problems ?? []))],
    };
  }
  const inlong = byId.inlong;
  for (const entry of Object.values(byId)) {
    if (entry.sdk.baseline || entry.sdk.id === 'inlong' || !entry.busy || !inlong?.busy) continue;
    entry.ratio = entry.busy.median / inlong.busy.median;
    entry.cpuRatio = entry.cpu.median / inlong.cpu.median;
    const ratios = entry.perRound.map((value, index) => (value !== undefined && inlong.perRound[index] !== undefined ? value / inlong.perRound[index] : undefined)).filter((value) => value !== undefined);
    entry.ratioRange = range(ratios);
  }
  return byId;
}
