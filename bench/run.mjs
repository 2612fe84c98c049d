#!/usr/bin/env node
// `npm run bench`: builds, runs every benchmark in sequence (size, track, then bridge and exit
// when their scripts exist), and merges their markdown with the machine and the versions into
// bench/results.md, then prints it.
//
//   node bench/run.mjs             everything
//   node bench/run.mjs --no-build  use dist/ as it is
//   node bench/run.mjs --quick     small counts where a bench supports it (not for reporting)
//
// Each bench runs as its own child process, so one's heap, JIT state and open handles do not
// colour the next, and writes bench/results-<name>.md, which this script collects.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem, type as osType, release as osRelease, arch } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_FILE = join(ROOT, 'bench/results.md');
/** A bench that takes longer than this is stopped: `npm run bench` must end in 10 minutes. */
const BENCH_TIMEOUT_MS = 5 * 60_000;

const BENCHES = [
  { name: 'size', script: 'bench/size.mjs' },
  { name: 'track', script: 'bench/track.mjs', quickFlag: '--quick' },
  { name: 'bridge', script: 'bench/bridge.mjs', optional: true, quickFlag: '--quick' },
  { name: 'exit', script: 'bench/exit.mjs', optional: true, quickFlag: '--quick' },
  { name: 'peers', script: 'bench/peers.mjs', optional: true, quickFlag: '--quick' },
  { name: 'tcp', script: 'bench/tcp.mjs', optional: true, quickFlag: '--quick' },
];

const PACKAGES = ['thinkingdata-node', '@snowplow/browser-tracker', '@segment/analytics-next', 'posthog-js', '@amplitude/analytics-browser', 'mixpanel-browser', 'esbuild', 'playwright-core', 'autocannon', 'ky', 'fflate', 'idb-keyval'];

/** Runs a child to completion; stdout is kept (the bench's own table), stderr shows progress. */
function runChild(command, args, timeoutMs = BENCH_TIMEOUT_MS) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (error) => resolve({ code: -1, stdout: `${stdout}\n${error.message}` }));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, signal, stdout });
    });
  });
}

function firstLine(command, args) {
  try {
    return execFileSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim();
  } catch {
    // Absent tools (no git checkout, no Chromium) are reported as unknown, not fatal.
    return 'unknown';
  }
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

function osName() {
  try {
    const line = readFileSync('/etc/os-release', 'utf8').split('\n').find((entry) => entry.startsWith('PRETTY_NAME='));
    if (line) return `${line.slice('PRETTY_NAME='.length).replace(/"/g, '')} (${osType()} ${osRelease()}, ${arch()})`;
  } catch {
    // Not Linux: the kernel name below is all we have.
  }
  return `${osType()} ${osRelease()} (${arch()})`;
}

function machineSection(load) {
  const cpuList = cpus();
  const commit = firstLine('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = firstLine('git', ['status', '--porcelain']) !== '' ? ' + uncommitted changes' : '';
  const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const gib = (bytes) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  return [
    '## Machine and versions',
    '',
    '| | |',
    '| --- | --- |',
    `| CPU | ${cpuList[0]?.model ?? 'unknown'} × ${cpuList.length} cores |`,
    `| memory | ${gib(totalmem())} (${gib(freemem())} free at start) |`,
    `| OS | ${osName()} |`,
    `| load average at start (1/5/15 min) | ${load.map((value) => value.toFixed(2)).join(' / ')} |`,
    `| Node | ${process.version} (V8 ${process.versions.v8}) |`,
    `| Chromium | ${firstLine(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'])} |`,
    `| ${own.name} | ${own.version} at ${commit}${dirty} |`,
    ...PACKAGES.map((name) => `| ${name} | ${packageVersion(name)} |`),
    '',
  ].join('\n');
}

/** The bench's markdown, if it wrote it during this run (an older file would mislead). */
function resultsOf(name, since) {
  const file = join(ROOT, `bench/results-${name}.md`);
  if (!existsSync(file) || statSync(file).mtimeMs < since) return undefined;
  return readFileSync(file, 'utf8').trim();
}

async function main() {
  const flags = new Set(process.argv.slice(2));
  const started = performance.now();
  const load = loadavg();
  const failures = [];

  if (!flags.has('--no-build')) {
    process.stderr.write('building (tsup)…\n');
    const built = await runChild(join(ROOT, 'node_modules/.bin/tsup'), []);
    if (built.code !== 0) {
      process.stderr.write(built.stdout);
      console.error('build failed; not benchmarking a stale dist/');
      process.exit(1);
    }
  }

  const sections = [];
  const timings = [];
  for (const bench of BENCHES) {
    if (!existsSync(join(ROOT, bench.script))) {
      if (!bench.optional) failures.push(`${bench.name}: ${bench.script} is missing`);
      timings.push(`| ${bench.name} | not run (${bench.script} not present) |`);
      continue;
    }
    process.stderr.write(`\n== ${bench.name} (${bench.script})\n`);
    const since = Date.now();
    const begun = performance.now();
    const args = [bench.script, ...(flags.has('--quick') && bench.quickFlag ? [bench.quickFlag] : [])];
    const result = await runChild(process.execPath, args);
    const seconds = (performance.now() - begun) / 1000;
    const text = resultsOf(bench.name, since);
    if (result.code !== 0) {
      failures.push(`${bench.name}: exited with ${result.signal ?? result.code}`);
      process.stderr.write(result.stdout);
    }
    timings.push(`| ${bench.name} | ${seconds.toFixed(1)} s${result.code === 0 ? '' : `, FAILED (${result.signal ?? `exit ${result.code}`})`} |`);
    sections.push(text ?? `## ${bench.name}\n\nNo results: ${bench.script} wrote no bench/results-${bench.name}.md in this run.`);
  }

  const total = (performance.now() - started) / 1000;
  const text = [
    '# inlong-js benchmarks',
    '',
    `Reproduce: \`npm run bench\` (build included). Each section says what it measured, with N and method.${flags.has('--quick') ? ' **--quick run: small counts, not for reporting.**' : ''}`,
    '',
    machineSection(load),
    ...sections.flatMap((section) => [section, '']),
    '## Wall time',
    '',
    '| bench | time |',
    '| --- | ---: |',
    ...timings,
    `| **total (incl. build)** | **${total.toFixed(1)} s** |`,
    '',
  ].join('\n');
  await writeFile(RESULTS_FILE, text);
  console.log(text);
  if (failures.length > 0) {
    console.error(`\nbench failures:\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
}

await main();
