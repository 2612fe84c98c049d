/**
 * Every built entry imports cleanly in Deno: nothing touches timers, fetch, listeners, storage
 * or Deno's file and network API at import, and the process ends at once (no pending ops).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, runDeno } from './support.js';

afterAll(cleanup);

describe('import safety in Deno', () => {
  it.each(['inlong-js', 'inlong-js/browser', 'inlong-js/worker', 'inlong-js/deno', 'inlong-js/bridge'])('%s imports with no side effects', async (specifier) => {
    const run = await runDeno('test/deno/scripts/import-safety.ts', { args: [specifier], timeoutMs: 15_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { touched: string[]; exported: string[] };
    expect(report.touched).toEqual([]);
    expect(report.exported.length).toBeGreaterThan(0);
    // A timer or open handle left by the import would keep Deno alive past this.
    expect(run.durationMs).toBeLessThan(5_000);
  });
});
