/**
 * Runs Deno programs against the BUILT package: `inlong-js` and `inlong-js/<entry>` are mapped to
 * `dist/` by an import map (as an installed package would resolve), and the package's own
 * dependencies (ky, fflate) come from node_modules through the repository's package.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DENO = join(ROOT, 'node_modules/.bin/deno');
const ENTRIES = ['index', 'browser', 'worker', 'deno', 'node', 'bridge'] as const;

/** A temporary directory removed by `cleanup()`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `inlong-${prefix}-`));
  made.push(dir);
  return dir;
}
const made: string[] = [];
const children = new Set<ChildProcess>();

/** Kills every Deno still running (by its own pid) and removes the temporary directories. */
export function cleanup(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

let importMap: string | undefined;
function ensureImportMap(): string {
  for (const entry of ENTRIES) {
    if (!existsSync(join(ROOT, 'dist', `${entry}.js`))) throw new Error(`dist/${entry}.js is missing: run \`npx tsup\` before the deno tests`);
  }
  if (importMap) return importMap;
  const imports: Record<string, string> = { 'inlong-js': pathToFileURL(join(ROOT, 'dist/index.js')).href };
  for (const entry of ENTRIES) imports[`inlong-js/${entry}`] = pathToFileURL(join(ROOT, 'dist', `${entry}.js`)).href;
  importMap = join(tempDir('import-map'), 'import_map.json');
  writeFileSync(importMap, JSON.stringify({ imports }));
  return importMap;
}

export interface DenoRun {
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Deno's flags for every run: the permissions the brief names, no lock file, no update check. */
function denoArgs(script: string, args: string[], flags: string[]): string[] {
  return ['run', '--allow-net', '--allow-read', '--allow-write', '--allow-env', '--no-lock', `--import-map=${ensureImportMap()}`, ...flags, join(ROOT, script), ...args];
}

function spawnDeno(script: string, env: Record<string, string>, args: string[], flags: string[] = []): ChildProcess {
  const child = spawn(DENO, denoArgs(script, args, flags), {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/**
 * Runs a Deno script to completion (killed after `timeoutMs`).
 * @example const run = await runDeno('examples/deno/main.ts', { env: { INLONG_DATAPROXY_URLS: dp.url } });
 */
export function runDeno(script: string, options: { env?: Record<string, string>; args?: string[]; flags?: string[]; timeoutMs?: number } = {}): Promise<DenoRun> {
  const started = Date.now();
  const child = spawnDeno(script, options.env ?? {}, options.args ?? [], options.flags);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, durationMs: Date.now() - started });
    });
  });
}

/** A long-running Deno program (a server) that printed its `listening on <url>` line. */
export interface DenoServer {
  url: string;
  output(): string;
  /** SIGTERM, then resolves with the exit code (null when it was killed by a signal). */
  stop(): Promise<number | null>;
}

/**
 * Starts a Deno server script and resolves once it prints `listening on http://…`.
 * @example const server = await startDenoServer('examples/deno/bridge.ts', { env: { PORT: '0' } });
 */
export function startDenoServer(script: string, options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<DenoServer> {
  const child = spawnDeno(script, options.env ?? {}, []);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} printed no "listening on" line in time:\n${output}`));
    }, options.timeoutMs ?? 15_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        output: () => output,
        stop: () =>
          new Promise<number | null>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
            child.once('exit', (code) => done(code));
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before listening:\n${output}`));
    });
  });
}
