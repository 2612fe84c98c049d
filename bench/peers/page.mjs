// The bench page (one per SDK, identical but for the SDK's scripts and init) and the driver that
// runs in it. The prelude, before any SDK script, starts the long-task observer and records page
// errors; the driver tracks the prepared events at a fixed pace and times each call.

/** Runs first on every page: long tasks and errors from the start, ORIGIN/HOST for the init code. */
const PRELUDE = `window.__longTasks = [];
window.__pageErrors = [];
try {
  new PerformanceObserver(function (list) { list.getEntries().forEach(function (entry) { window.__longTasks.push([entry.startTime, entry.duration]); }); })
    .observe({ type: 'longtask', buffered: true });
} catch (error) { window.__pageErrors.push('longtask observer: ' + error); }
addEventListener('unhandledrejection', function (event) { window.__pageErrors.push('unhandled rejection: ' + event.reason); });
var ORIGIN = location.origin, HOST = location.host;`;

/** The page for `sdk`: prelude, the SDK's scripts in order, then its init code. */
export function pageHtml(sdk) {
  const scripts = (sdk.scripts ?? []).map((src) => `<script src="${src}"></script>`).join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>peers bench: ${sdk.id}</title>
<script>${PRELUDE}</script>
${scripts}
<script>${sdk.init}</script>
</head><body><main><h1>Product page</h1><p>The bench page.</p></main></body></html>
`;
}

/**
 * In the page (via page.evaluate): tracks `window.__events` in bursts of `burst` events, one burst
 * every `intervalMs` on a fixed schedule (a burst that starts late does not push the next ones
 * back), each call timed with performance.now(). The first `warm` calls are timed but returned
 * apart. Returns page-clock times so long tasks can be placed in the phases.
 */
export async function drive({ burst, intervalMs, warm }) {
  const events = window.__events;
  const track = window.__bench.track;
  const times = new Float64Array(events.length);
  let errors = 0;
  let firstError;
  let late = 0;
  const start = performance.now();
  let due = start;
  for (let from = 0; from < events.length; from += burst) {
    const end = Math.min(events.length, from + burst);
    for (let i = from; i < end; i++) {
      const event = events[i];
      const before = performance.now();
      try {
        track(event.name, event.properties);
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
      times[i] = performance.now() - before;
    }
    due += intervalMs;
    const wait = due - performance.now();
    if (wait < 0) late++;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
  }
  return { start, end: performance.now(), times: Array.from(times.subarray(warm)), errors, firstError, late, isolated: globalThis.crossOriginIsolated === true };
}

/** In the page: what the prelude collected, and the timer's resolution (smallest step of performance.now()). */
export function collect() {
  let step = Infinity;
  for (let seen = 0, last = performance.now(); seen < 50; ) {
    const now = performance.now();
    if (now !== last) {
      step = Math.min(step, now - last);
      last = now;
      seen++;
    }
  }
  return { resolutionMs: step, longTasks: window.__longTasks, pageErrors: window.__pageErrors };
}
