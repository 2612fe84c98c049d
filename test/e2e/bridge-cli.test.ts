import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/index.js';
import { parseCliArgs } from '../../src/cli.js';

/** The built CLI (`npm run build` → dist/cli.js); INLONG_CLI points elsewhere for local runs. */
const CLI = resolve(process.env.INLONG_CLI ?? 'dist/cli.js');
const built = existsSync(CLI) && readFileSync(CLI, 'utf8').includes('listening on');

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe('inlong-js bridge flags', () => {
  it('map to the createBridge option names', () => {
    const options = parseCliArgs(
      ['bridge', '--port', '0', '--dataproxy', 'http://a:46802', '--dataproxy', 'http://b:46802', '--stream', 'g/s', '--stream', 'g/t',
        '--allow-origin', 'https://app.example.com', '--write-key', 'g/s=k1', '--rate-limit', '50/10', '--trust-proxy', '--max-msg-length', '524288'],
      {},
    );
    expect(options).toEqual({
      port: 0,
      dataproxy: ['http://a:46802', 'http://b:46802'],
      streams: ['g/s', 'g/t'],
      allowOrigins: ['https://app.example.com'],
      writeKeys: { 'g/s': 'k1' },
      rateLimit: { requests: 50, windowMs: 10_000 },
      trustProxy: true,
      maxMsgLength: 524_288,
      sinkFile: '.inlong/bridge-records.jsonl',
    });
    const manager = parseCliArgs(['bridge', '--manager', 'http://m/getIpList', '--group', 'g', '--auth-id', 'id', '--stream', 'g/s'], { INLONG_MANAGER_AUTH_KEY: 'from-env' });
    expect(manager === 'help' ? undefined : manager.manager).toEqual({ url: 'http://m/getIpList', groupId: 'g', authId: 'id', authKey: 'from-env' });
    expect(parseCliArgs(['--help'])).toBe('help');
  });

  it('refuse bad values with a ConfigError naming the flag, never echoing a key', () => {
    const attempts: Array<[string[], string]> = [
      [['bridge', '--port', 'eighty'], '--port'],
      [['bridge', '--manager', 'http://m'], '--manager'],
      [['bridge', '--write-key', 'g/s:secret-value'], '--write-key'],
      [['bridge', '--bogus'], '(flags)'],
      [['serve'], '(command)'],
    ];
    for (const [argv, option] of attempts) {
      let caught: unknown;
      try {
        parseCliArgs(argv);
      } catch (error) {
        caught = error;
      }
      expect(isConfigError(caught) && caught.option).toBe(option);
      expect(String((caught as Error).message)).not.toContain('secret-value');
    }
  });
});

describe(`built CLI (${CLI})`, () => {
  it('exists: `npm test` builds before it runs the tests', () => {
    expect(built).toBe(true);
  });

  it('--port 0 prints "listening on http://127.0.0.1:<p>" and the mode, serves, and stops cleanly on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inlong-cli-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const sinkFile = join(dir, 'records.jsonl');
    const child = spawn(process.execPath, [CLI, 'bridge', '--port', '0', '--sink-file', sinkFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(async () => void child.kill('SIGKILL'));
    const lines = readLines(child);
    const listening = await lines.next(5000);
    const match = /^listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(listening);
    expect(match, listening).not.toBeNull();
    expect(await lines.next(2000)).toBe(`mode: embedded sink at ${sinkFile}`);
    const url = `http://127.0.0.1:${match?.[1]}`;
    const post = await fetch(`${url}/dataproxy/message`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'groupId=g&streamId=s&body=hello' });
    expect(await post.json()).toEqual({ code: '0', msg: 'Ok' });
    expect(readFileSync(sinkFile, 'utf8')).toContain('"record":"hello"');
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await lines.next(5000)).toBe('stopped');
    expect(await exited).toBe(0);
  });
});

/** Reads a child's stdout line by line, with a deadline per line. */
function readLines(child: ChildProcess): { next(timeoutMs: number): Promise<string> } {
  const queue: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (child.stdout) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else queue.push(line);
    });
  }
  return {
    next(timeoutMs) {
      const ready = queue.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      return new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no output line within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        waiting.push((line) => {
          clearTimeout(timer);
          done(line);
        });
      });
    },
  };
}
