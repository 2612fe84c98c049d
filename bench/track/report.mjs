// Report: the markdown section of each part, with its N and method.
import { createRequire } from 'node:module';
import { BROWSER_ARGS, BROWSER_BURST } from './browser.mjs';
import { BATCH, CHUNK, WINDOW } from './config.mjs';
import { FLAT_BYTES, growth } from './memory.mjs';
import { median } from './stats.mjs';

const require = createRequire(import.meta.url);

const int = (value) => Math.round(value).toLocaleString('en-US');
export const fixed = (value, digits = 1) => value.toFixed(digits);
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

export function throughputSection(results, config) {
  const [inlong, td, recordsOnly] = results;
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
    ...(recordsOnly
      ? [
          `Ceiling: building the same records and \`JSON.stringify\` alone, with no batching, gzip or delivery (\`${recordsOnly.name}\`), runs at ${int(recordsOnly.median)} events/s = ${fixed(recordsOnly.median / td.median, 2)}× thinkingdata-node; everything after the record (packing, gzip, delivery, acknowledgements) costs inlong-js ${fixed((1e6 / inlong.median) - (1e6 / recordsOnly.median), 2)} µs per event on top of its ${fixed(1e6 / recordsOnly.median, 2)} µs.`,
          '',
        ]
      : []),
    `Method: ${config.runs} timed runs per SDK of ${int(config.events)} events each, after one warm-up run of ${int(config.warmup)}, the SDKs alternating run by run in one process; wall time (performance.now) from the first call until the in-memory sink holds every record; median of the runs. Event mix: 70 % \`track\` (8 properties incl. a Date and a nested object), 20 % \`userSet\`, 10 % \`userAdd\`, super properties set, produced in turns of ${int(CHUNK)} events with an event-loop yield between, the producer waiting (one yield at a time) while more than ${int(WINDOW)} events are unacknowledged. Batches of ${BATCH} records, gzip on. inlong-js: \`TDAnalytics\` + \`BatchConsumer\` in bridge mode (multi-pack body of raw packs, gzip via node:zlib at level 1 on the thread pool: the compressor the SDK picks on Node 20.16+, re-created in the bench only to note each body's pack count for the reply) with an injected transport acknowledging each pack; thinkingdata-node ${require('thinkingdata-node/package.json').version}: \`initWithBatchMode\` with its \`requestLib\` replaced by an in-memory stand-in (its own JSON, zlib gzip and request code still run).`,
    '',
  ].join('\n');
}

export function wireSection({ inlong, td, beacon }, config) {
  const row = (name, stats) => `| ${name} | ${fixed(stats.jsonPerEvent)} | ${fixed(stats.rawPerEvent)} | ${fixed(stats.gzipPerEvent)} | ${fixed(stats.rawPerEvent / stats.gzipPerEvent, 2)}× | ${int(stats.perRequest)} |`;
  const capacity = (entry) => `${int(entry.events)} events (${entry.packs} packs${entry.saturated ? ', all captured packs fit: a lower bound' : ''})`;
  return [
    '## Wire: bytes per event',
    '',
    '| SDK | JSON record bytes | request body bytes before gzip | after gzip | gzip ratio | events per request (median) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('inlong-js (multi-pack raw packs to the bridge)', inlong),
    row('thinkingdata-node (JSON array to /sync_server)', td),
    '',
    `Events per 64 KiB beacon (inlong-js multi-pack body, whole packs of ${BATCH}): gzip ${capacity(beacon.gzip)}; uncompressed ${capacity(beacon.plain)}.`,
    '',
    `Method: ${int(config.wireEvents)} events of the same mix through each SDK with the sink keeping every request body. inlong-js bodies are raw packs: a form-encoded header line per pack, then its JSON records one per line (that is what "before gzip" counts); gzip as each SDK sends it (inlong-js: node:zlib level 1, its pick on Node; thinkingdata-node: zlib.gzip, default level 6). Beacon capacity: largest prefix of the captured packs whose body, gzipped at level 6, fits 65,536 bytes.`,
    '',
  ].join('\n');
}

export function memorySection(results) {
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

export function browserSection(result, config) {
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
