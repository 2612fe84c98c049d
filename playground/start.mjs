#!/usr/bin/env node
/**
 * `npm start`: the bridge on its embedded file sink and the playground pages, on one local origin.
 * Builds `dist/` first when it is missing (a fresh clone after `npm ci` has no build), so this one
 * command is all a first run needs. A build older than `src/` is only reported, not redone: `tsup`
 * empties `dist/` first, which would pull the files from under anything else using them.
 *
 *   node playground/start.mjs [--port 8787] [--no-open] [--build] [--sink-file <path>]
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_PORT = 8787;
const BUILT = ['dist/browser.js', 'dist/inlong.global.js', 'dist/bridge.js', 'dist/cli.js'];

const HELP = `Usage: npm start -- [options]   (or: node playground/start.mjs [options])

Starts the inlong-js bridge on an embedded local sink and serves the playground on 127.0.0.1.

  --port <p>         port, 0 = any free one (default ${DEFAULT_PORT}; if it is taken, a free one)
  --sink-file <path> where the sink writes records (default .inlong/playground-records.jsonl)
  --no-open          do not open a browser
  --build            rebuild dist/ first (it is built anyway when missing)
  --help             this text`;

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      // `no-open` spelled out: parseArgs negation (`allowNegative`) needs Node 22.
      options: { port: { type: 'string' }, 'sink-file': { type: 'string' }, 'no-open': { type: 'boolean' }, build: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    return fail(`${error.message}\n\n${HELP}`, 2);
  }
  if (values.help) return console.log(HELP);
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > 65_535) return fail(`--port expects an integer 0..65535, got ${JSON.stringify(values.port)}`, 2);

  const state = buildState();
  if (values.build || state === 'missing') await build();
  else if (state === 'stale') console.error('note: dist/ is older than src/; run `npm run build` or pass --build to see your changes');
  // Imported only now: the server imports the built package, which may not have existed a moment ago.
  const { startPlayground } = await import('./server.mjs');
  const options = { host: '127.0.0.1', sinkFile: values['sink-file'] ?? join(ROOT, '.inlong/playground-records.jsonl'), log: (line) => console.error(line) };
  let server;
  try {
    server = await startPlayground({ ...options, port });
  } catch (error) {
    // The default port taken (another playground, another bridge): a free one beats a dead end.
    if (error.code !== 'EADDRINUSE' || values.port !== undefined) throw error;
    console.error(`port ${port} is taken; using a free one (pick one with --port)`);
    server = await startPlayground({ ...options, port: 0 });
  }
  console.log(`listening on ${server.url}`);
  console.log(`mode: ${server.bridge.describe()}`);
  console.log(`playground on ${server.url}/`);
  console.log('Ctrl+C to stop.');
  if (!values['no-open'] && !process.env.CI) openBrowser(`${server.url}/`);

  const stop = () => {
    // A second signal while closing means "now".
    process.once('SIGINT', () => process.exit(1));
    void server.close().then(() => {
      console.log('stopped');
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `missing` (a built file is absent), `stale` (`src/` changed after the build) or `ok`. */
function buildState() {
  const built = BUILT.map((file) => join(ROOT, file));
  if (built.some((file) => !existsSync(file))) return 'missing';
  const src = join(ROOT, 'src');
  if (!existsSync(src)) return 'ok';
  const builtAt = Math.min(...built.map((file) => statSync(file).mtimeMs));
  return newest(src) > builtAt ? 'stale' : 'ok';
}

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function build() {
  console.log('building dist/ (npx tsup) ...');
  return new Promise((resolve, reject) => {
    // stdout to stderr: this process's stdout is for the URLs, which scripts and tests read.
    const child = spawn('npx', ['tsup'], { cwd: ROOT, stdio: ['ignore', process.stderr, process.stderr], shell: process.platform === 'win32' });
    child.once('error', (error) => reject(new Error(`cannot run npx tsup: ${error.message}`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npx tsup exited with ${code}; run it yourself to see why`))));
  });
}

/** Best effort: a machine without a desktop simply keeps the printed URL. */
function openBrowser(url) {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.once('error', () => {});
  child.unref();
}

function fail(message, code) {
  console.error(message);
  process.exitCode = code;
}

main().catch((error) => {
  console.error(`playground: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
