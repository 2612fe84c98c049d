import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ENTRIES = ['index', 'browser', 'worker', 'deno', 'node', 'bridge', 'cli'];

// Runs in a child process, so nothing this test runner has open is counted.
const report = `
  const added = Object.keys(globalThis).filter((key) => !before.has(key));
  console.log(JSON.stringify({ exports: modules.map((m) => Object.keys(m).length), resources: process.getActiveResourcesInfo(), added }));
`;

async function load(args: string[]): Promise<{ exports: number[]; resources: string[]; added: string[] }> {
  const { stdout } = await run(process.execPath, args, { cwd: new URL('../..', import.meta.url), timeout: 20_000 });
  return JSON.parse(stdout) as { exports: number[]; resources: string[]; added: string[] };
}

function expectNoSideEffects(result: { exports: number[]; resources: string[]; added: string[] }): void {
  expect(result.exports).toHaveLength(ENTRIES.length);
  expect(result.exports.every((count) => count > 0)).toBe(true);
  // Module loading itself leaves stdio pipes and fs close requests; a side effect would show as
  // a timer, an immediate, a socket, a server, a child process or a signal watcher.
  expect(result.resources.filter((resource) => /Timeout|Immediate|TCP|UDP|Process|Signal|FSEvent/i.test(resource))).toEqual([]);
  expect(result.added).toEqual([]);
}

describe('importing the built entries in Node', () => {
  it('starts no timers, sockets or handles and defines no globals', async () => {
    const script = `
      const before = new Set(Object.keys(globalThis));
      const modules = await Promise.all(${JSON.stringify(ENTRIES)}.map((name) => import('./dist/' + name + '.js')));
      ${report}
    `;
    expectNoSideEffects(await load(['--input-type=module', '-e', script]));
  });

  it('require() of the CommonJS build does none of that either (require(esm) off, as on Node < 20.19)', async () => {
    const script = `
      const before = new Set(Object.keys(globalThis));
      const modules = ${JSON.stringify(ENTRIES)}.map((name) => require('./dist/' + name + '.cjs'));
      ${report}
    `;
    expectNoSideEffects(await load(['--no-experimental-require-module', '-e', script]));
  });
});
