/**
 * A scratch project that installs the packed tarball as a user would (`npm pack`, then
 * `npm install <tarball>` in an empty directory), so tests exercise the published `exports`,
 * files and dependencies rather than the repository's own paths.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The repository root (what `npm pack` packs). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A directory with `inlong-js` installed from its tarball. */
export interface ScratchConsumer {
  /** The project directory (`node_modules/inlong-js` lives here). */
  readonly dir: string;
  /** Writes `files` (paths relative to `dir`). */
  write(files: Record<string, string>): Promise<void>;
  /** Runs `node ...args` in `dir`; never rejects, the exit code is in the result. */
  node(args: readonly string[], options?: { timeoutMs?: number }): Promise<RunResult>;
  /** Removes the directory and the tarball. */
  remove(): Promise<void>;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Packs the built repository and installs the tarball into a fresh directory. Dependencies come
 * from npm's cache when it has them (`--prefer-offline`); `timeoutMs` bounds the install.
 * @example const consumer = await createScratchConsumer(); await consumer.node(['-e', "require('inlong-js')"]);
 */
export async function createScratchConsumer(timeoutMs = 90_000): Promise<ScratchConsumer> {
  const base = await mkdtemp(join(tmpdir(), 'inlong-consumer-'));
  const dir = join(base, 'app');
  const remove = () => rm(base, { recursive: true, force: true });
  try {
    const packed = await exec('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', base], { cwd: ROOT, timeout: timeoutMs });
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    await mkdir(dir);
    await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'scratch-consumer', version: '0.0.0', private: true }, null, 2)}\n`);
    await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', join(base, filename)], { cwd: dir, timeout: timeoutMs });
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    dir,
    async write(files) {
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), text);
      }
    },
    node: (args, options = {}) => run(process.execPath, args, dir, options.timeoutMs ?? 30_000),
    remove,
  };
}

/** Runs TypeScript's `tsc` (the repository's copy) on a project file inside `dir`. */
export function tsc(dir: string, project: string): Promise<RunResult> {
  return run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], dir, 60_000);
}

async function run(file: string, args: readonly string[], cwd: string, timeout: number): Promise<RunResult> {
  try {
    const { stdout, stderr } = await exec(file, [...args], { cwd, timeout });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : null, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) };
  }
}
