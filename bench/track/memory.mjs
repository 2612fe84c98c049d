// Memory: a child process with --expose-gc pushes 1,000,000 events through one client.
// The parent re-spawns the entry, bench/track.mjs, with `--child-memory <sdk> <count>`, which
// runs memoryChild and prints its result as JSON on stdout.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createClient, produce } from './clients.mjs';
import { CHUNK } from './config.mjs';
import { makeEvents } from './mix.mjs';

const ENTRY = fileURLToPath(new URL('../track.mjs', import.meta.url));

export async function memoryChild(name, count) {
  const client = await createClient(name);
  const heap = () => process.memoryUsage().heapUsed;
  const settle = () => {
    globalThis.gc();
    globalThis.gc();
    return heap();
  };
  const before = settle();
  const samples = [];
  let peak = before;
  const step = Math.max(CHUNK, Math.floor(count / 10));
  const onChunk = (produced) => {
    peak = Math.max(peak, heap());
    if (produced % step === 0) samples.push({ events: produced, heapUsed: settle() });
  };
  const started = performance.now();
  for (let done = 0; done < count; done += 10_000) {
    // Built in slices so the input itself does not weigh on the heap being measured.
    const slice = makeEvents(Math.min(10_000, count - done), 100 + done);
    await produce(client, slice, onChunk);
  }
  await client.drain();
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  const after = settle();
  return { name, events: count, delivered: client.stats.records, errors: client.errors.length, firstError: client.errors[0] ? String(client.errors[0]) : undefined, before, after, peak, samples, waits: client.waits, seconds };
}

function runMemoryChild(name, count) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', ENTRY, '--child-memory', name, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`memory child for ${name} exited with ${code}`))));
  });
}

/** A child per SDK, in turn. */
export async function memory(config) {
  const results = [];
  for (const name of ['inlong-js', 'thinkingdata-node']) results.push(await runMemoryChild(name, config.memoryEvents));
  return results;
}

/** Flat: the settled heap at the end of the flow is within 2 MiB of where it was after the first tenth. */
export const FLAT_BYTES = 2 * 1024 * 1024;
export function growth(result) {
  const [first] = result.samples;
  const last = result.samples.at(-1);
  return first && last ? last.heapUsed - first.heapUsed : result.after - result.before;
}
