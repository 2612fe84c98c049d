#!/usr/bin/env node
// `node bench/snappy.mjs`: the two pure-JavaScript Snappy libraries on what the TCP sender does
// with them — raw-block compression of a msgType-7 body (`u32 length + record` per record) of
// about 64 KiB of ThinkingData JSON lines — in one process, same inputs, interleaved rounds.
// Prints a table and writes bench/results-snappy.md. Speed, output size, bundled size (esbuild
// minify + gzip -9 of `import { compress }`) and a cross-check that each reads the other's output.
//
//   node bench/snappy.mjs            7 rounds × 13 MB of bodies per size and library
//   node bench/snappy.mjs --quick    2 rounds × 2.6 MB
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { makeEvents } from './track/mix.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 2 : 7;
const BODIES = QUICK ? 40 : 200;
/** Body sizes: a full pack (the C++ SDK's and our default frame limit) and a bridge-sized pack of ~10 records. */
const SIZES = [64 * 1024, 4 * 1024];

/** A candidate that is not installed (the loser may be dropped from package.json) is left out. */
function load(name) {
  try {
    return { module: require(name), version: require(`${name}/package.json`).version };
  } catch (error) {
    if (error?.code !== 'MODULE_NOT_FOUND') throw error;
    process.stderr.write(`${name} is not installed: left out\n`);
    return undefined;
  }
}
/** Ours (src/dataproxy/tcp/snappy.ts, the ESM port of snappyjs's compressor), transpiled as it is. */
async function loadOurs() {
  const result = await build({ entryPoints: [join(ROOT, 'src/dataproxy/tcp/snappy.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'silent' });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].contents).toString('base64')}`);
}
const ours = await loadOurs();
const snappyjs = load('snappyjs');
const stablelib = load('@stablelib/snappy');
const LIBS = [
  { name: 'inlong-js snappyCompress (ESM port)', compress: (bytes) => ours.snappyCompress(bytes), uncompress: (bytes) => snappyjs.module.uncompress(bytes), compressOnly: true, entry: "import { snappyCompress } from './src/dataproxy/tcp/snappy.ts'; export { snappyCompress };" },
  snappyjs && { name: `snappyjs ${snappyjs.version}`, compress: (bytes) => snappyjs.module.compress(bytes), uncompress: (bytes) => snappyjs.module.uncompress(bytes), entry: "import { compress } from 'snappyjs'; export { compress };" },
  stablelib && { name: `@stablelib/snappy ${stablelib.version}`, compress: (bytes) => stablelib.module.compress(bytes), uncompress: (bytes) => stablelib.module.decompress(bytes), entry: "import { compress } from '@stablelib/snappy'; export { compress };" },
].filter(Boolean);

/** ThinkingData-style JSON lines (the bench's event mix plus the fields the SDK adds), framed as msgType 7 does. */
function bodies(count, target) {
  const encoder = new TextEncoder();
  const out = [];
  let n = 0;
  for (let index = 0; index < count; index++) {
    const parts = [];
    let size = 0;
    for (const event of makeEvents(Math.ceil(target / 150), 11 + index)) {
      const record = encoder.encode(JSON.stringify({
        '#type': event.kind === 'track' ? 'track' : 'user_set', '#time': '2025-01-01 12:00:00.000', '#distinct_id': event.params.distinctId,
        '#uuid': `6f1c2a51-${String(n++).padStart(4, '0').slice(-4)}-4000-8000-${String(index).padStart(12, '0')}`,
        '#event_name': event.params.event ?? undefined, '#ip': '203.0.113.7', properties: { '#lib': 'js', '#lib_version': '0.1.0', ...event.params.properties },
      }));
      if (size + 4 + record.length > target) break;
      parts.push(record);
      size += 4 + record.length;
    }
    const body = new Uint8Array(size);
    const view = new DataView(body.buffer);
    let at = 0;
    for (const record of parts) {
      view.setUint32(at, record.length);
      body.set(record, at + 4);
      at += 4 + record.length;
    }
    out.push(body);
  }
  return out;
}

async function bundledGzip(entry) {
  const result = await build({ stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' }, bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
}

/** Median MB/s (of uncompressed input) of each library on `inputs`, interleaved rounds. */
function measure(inputs) {
  const inputBytes = inputs.reduce((sum, body) => sum + body.length, 0);
  const samples = new Map(LIBS.map((lib) => [lib.name, { compress: [], uncompress: [], out: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const lib of round % 2 === 0 ? LIBS : [...LIBS].reverse()) {
      const entry = samples.get(lib.name);
      let started = performance.now();
      const compressed = inputs.map((body) => lib.compress(body));
      entry.compress.push(inputBytes / 1e6 / ((performance.now() - started) / 1000));
      started = performance.now();
      for (const block of compressed) lib.uncompress(block);
      entry.uncompress.push(inputBytes / 1e6 / ((performance.now() - started) / 1000));
      entry.out = compressed.reduce((sum, block) => sum + block.length, 0);
    }
  }
  return { inputBytes, samples };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (value) => Math.round(value).toLocaleString('en-US');

async function main() {
  const rows = [];
  const sizes = new Map(await Promise.all(LIBS.map(async (lib) => [lib.name, await bundledGzip(lib.entry)])));
  for (const target of SIZES) {
    // The same megabytes per size, so small bodies are timed as long as large ones.
    const count = Math.round((BODIES * SIZES[0]) / target);
    const inputs = bodies(count, target);
    // Correctness first: each library reads its own and the other's output, byte for byte.
    for (const writer of LIBS) {
      for (const reader of LIBS) {
        for (const body of inputs.slice(0, 10)) {
          const back = reader.uncompress(writer.compress(body));
          if (Buffer.compare(Buffer.from(back), Buffer.from(body)) !== 0) throw new Error(`${reader.name} misread ${writer.name}'s output`);
        }
      }
    }
    const { inputBytes, samples } = measure(inputs);
    const average = inputBytes / count;
    for (const lib of LIBS) {
      const entry = samples.get(lib.name);
      rows.push(`| ${lib.name} | ${fmt(average)} B | ${fmt(median(entry.compress))} MB/s | ${lib.compressOnly ? '— (compress only)' : `${fmt(median(entry.uncompress))} MB/s`} | ${fmt(entry.out / count)} B (${((entry.out / inputBytes) * 100).toFixed(1)} %) | ${fmt(sizes.get(lib.name))} B |`);
    }
  }
  const markdown = [
    '## Snappy: snappyjs vs @stablelib/snappy vs our ESM port, on msgType-7 bodies',
    '',
    '| library | body (average) | compress (median) | uncompress (median) | output per body | `compress` bundled, min+gzip |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Method: per size, ${fmt((BODIES * SIZES[0]) / 1e6)} MB of bodies (${BODIES} of 64 KiB, ${(BODIES * SIZES[0]) / SIZES[1]} of 4 KiB) (ThinkingData JSON records of the bench's event mix, each framed as \`u32 length + bytes\` as msgType 7 carries them), ${ROUNDS} interleaved rounds per library in one process, median MB/s of uncompressed input. Each library's output was read back by every decompressor, byte-identical (ours has none; snappyjs's reads it). Bundled size: esbuild (browser, ESM, minify) of \`import { compress }\`, gzip -9. ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.${QUICK ? ' (--quick: not for reporting.)' : ''}`,
    '',
  ].join('\n');
  await writeFile(join(ROOT, 'bench/results-snappy.md'), markdown);
  console.log(markdown);
}

await main();
