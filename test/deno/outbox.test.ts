/**
 * The localStorage outbox in Deno: packs stored by one process (waiting or in flight) are found
 * by the next, due at once, without the in-memory callbacks; removed packs stay gone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, runDeno, tempDir } from './support.js';

afterAll(cleanup);

describe('createLocalStorageOutbox in Deno', () => {
  it('keeps undelivered packs across processes', async () => {
    // Deno keeps localStorage under DENO_DIR, per --location: a temporary one starts empty and
    // is removed afterwards.
    const env = { DENO_DIR: tempDir('deno-dir') };
    const run = async (phase: string) => {
      const result = await runDeno('test/deno/scripts/outbox.ts', { args: [phase], env, flags: ['--location=http://outbox.test/'] });
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout) as Record<string, unknown>;
    };
    const written = await run('write');
    expect(written).toMatchObject({ hasLocalStorage: true, durable: true, start: { packs: 0 }, leased: ['p2', 'p3'], end: { packs: 2, records: 3 } });
    const read = await run('read');
    expect(read.start).toMatchObject({ packs: 2, records: 3 });
    expect(read.restored).toEqual([
      { id: 'p1', records: ['a', 'b'], attempts: 1, meta: false },
      { id: 'p2', records: ['c'], attempts: 0, meta: false },
    ]);
    expect((await run('check')).start).toEqual({ packs: 0, records: 0, bytes: 0 });
  });
});
