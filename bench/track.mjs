#!/usr/bin/env node
// What one `track()` costs, from the call to gzipped bytes ready on the wire, for inlong-js and
// for thinkingdata-node in the same process, plus wire bytes, memory under 1,000,000 events and
// main-thread time per call in Chromium.
//
//   node bench/track.mjs                 everything, writes bench/results-track.md
//   node bench/track.mjs --quick         small counts, for trying changes (not for reporting)
//   node bench/track.mjs --skip-memory --skip-browser    or --only=throughput,wire
//
// Both SDKs get the same event mix, batches of 20 records and gzip on, and both send to an
// in-memory sink instead of the network: inlong-js through an injected `transport` (bridge
// mode, so packs are gzipped), thinkingdata-node through a fake `requestLib` under its own
// BatchConsumer. Everything else (record build, validation, JSON, packing, gzip) is the
// libraries' own code.
//
// This file is the entry: flags, the parts in order, the results file. The parts live in
// bench/track/: mix (the event mix), inlong-sink and td-sink (the in-memory sinks), clients
// (both SDKs behind one shape, and the producer), throughput, wire, memory (incl. the child
// process, which re-runs this file with `--child-memory <sdk> <count>`), browser, report.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { browser } from './track/browser.mjs';
import { FULL, QUICK, ROOT } from './track/config.mjs';
import { memory, memoryChild } from './track/memory.mjs';
import { browserSection, fixed, memorySection, throughputSection, wireSection } from './track/report.mjs';
import { throughput } from './track/throughput.mjs';
import { wire } from './track/wire.mjs';

const RESULTS_FILE = join(ROOT, 'bench/results-track.md');

const PARTS = {
  throughput: async (config) => throughputSection(await throughput(config), config),
  wire: async (config) => wireSection(await wire(config), config),
  memory: async (config) => memorySection(await memory(config)),
  browser: async (config) => browserSection(await browser(config), config),
};

/** `--quick`, `--skip-<part>`, `--only=<part>[,<part>]`. */
function parseArgs(argv) {
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
  const parts = Object.keys(PARTS).filter((part) => (only ? only.includes(part) : !argv.includes(`--skip-${part}`)));
  return { quick: argv.includes('--quick'), parts };
}

async function main() {
  const memoryIndex = process.argv.indexOf('--child-memory');
  if (memoryIndex !== -1) {
    const [name, count] = process.argv.slice(memoryIndex + 1);
    process.stdout.write(JSON.stringify(await memoryChild(name, Number(count))));
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  const config = args.quick ? QUICK : FULL;
  const started = performance.now();
  const sections = [];
  for (const part of args.parts) {
    process.stderr.write(`${part}…\n`);
    sections.push(await PARTS[part](config));
  }
  sections.push(`_bench/track.mjs took ${fixed((performance.now() - started) / 1000)} s${args.quick ? ' (--quick: small counts, not for reporting)' : ''}._\n`);
  const text = sections.join('\n');
  await writeFile(RESULTS_FILE, text);
  console.log(text);
}

await main();
