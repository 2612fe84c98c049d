// Throughput: wall time from the first call until the sink holds every record, N events.
import { performance } from 'node:perf_hooks';
import { createClient, produce, RECORDS_ONLY } from './clients.mjs';
import { makeEvents } from './mix.mjs';
import { median } from './stats.mjs';

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

export async function throughput(config) {
  const names = ['inlong-js', 'thinkingdata-node', RECORDS_ONLY];
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
