/**
 * The built package inside Deno: examples/deno/main.ts delivers to a DataProxy fixture on
 * 127.0.0.1, and LoggingConsumer writes rotated, split files through Deno's file API.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startDataProxy, type DataProxyNode } from '../helpers/dataproxy-fixture.js';
import { cleanup, runDeno, tempDir } from './support.js';

const servers: DataProxyNode[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});
afterAll(cleanup);

type Record = { [key: string]: unknown; properties: { [key: string]: unknown } };
const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

describe('inlong-js in Deno', () => {
  it('examples/deno/main.ts sends every record to DataProxy and writes its LogBus file', async () => {
    const dp = await startDataProxy();
    servers.push(dp);
    const logDir = tempDir('deno-main');
    const run = await runDeno('examples/deno/main.ts', {
      env: { INLONG_DATAPROXY_URLS: dp.url, INLONG_GROUP_ID: 'g_deno', INLONG_STREAM_ID: 's_deno', DEMO_USERS: '25', INLONG_LOG_DIR: logDir },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`flushed 51 records to ${dp.url} (0 raw lines failed)`);

    const tracked = dp.received.filter((item) => item.streamId === 's_deno').flatMap((item) => item.records.map((line) => JSON.parse(line) as Record));
    expect(tracked).toHaveLength(50);
    expect(tracked.filter((record) => record['#event_name'] === 'signup').map((record) => record['#distinct_id']).sort()).toEqual(
      Array.from({ length: 25 }, (_, index) => `user-${index}`).sort(),
    );
    expect(tracked.filter((record) => record['#type'] === 'user_set')).toHaveLength(25);
    expect(new Set(tracked.map((record) => record['#uuid'])).size).toBe(50);
    const signup = tracked.find((record) => record['#event_name'] === 'signup');
    expect(signup?.properties).toMatchObject({ app: 'deno-example', '#lib': 'inlong-js' });
    expect(typeof signup?.properties.deno).toBe('string');
    // The raw line arrives byte for byte, in its own stream.
    const raw = dp.received.filter((item) => item.streamId === 's_deno_raw');
    expect(raw.map((item) => item.body)).toEqual(['hello|from|deno|25']);
    for (const item of dp.received) {
      expect(item.groupId).toBe('g_deno');
      expect(item.cnt).toBe(item.records.length);
      expect(String(item.headers['content-type'])).toBe('application/x-www-form-urlencoded');
    }

    const [file, ...others] = readdirSync(logDir);
    expect(others).toEqual([]);
    expect(file).toMatch(/^deno\.log\.\d{4}-\d{2}-\d{2}-\d{2}_0$/);
    const logged = lines(readFileSync(join(logDir, file ?? ''), 'utf8')).map((line) => JSON.parse(line) as Record);
    expect(logged.map((record) => record['#event_name'])).toEqual(['logged']);
  });

  it('LoggingConsumer rotates hourly and splits by size, in order, through Deno.writeTextFile', async () => {
    const dir = tempDir('deno-logs');
    const run = await runDeno('test/deno/scripts/logging-rotation.ts', { args: [dir] });
    expect(run.stderr).toBe('');
    // Nine records written one by one, plus the daily file's one write.
    expect(run.stdout.trim()).toBe('done: 10 writes through Deno.writeTextFile');
    const files = readdirSync(dir).sort();
    const hourly = files.filter((name) => name.startsWith('app.'));
    // Six ~200-byte records at 03:58 over a 300-byte split: two per file; then 04:01 starts at _0.
    expect(hourly).toEqual(['app.log.2026-01-02-03_0', 'app.log.2026-01-02-03_1', 'app.log.2026-01-02-03_2', 'app.log.2026-01-02-04_0', 'app.log.2026-01-02-04_1']);
    const read = (name: string): Record[] => lines(readFileSync(join(dir, name), 'utf8')).map((line) => JSON.parse(line) as Record);
    const order = hourly.flatMap((name) => read(name).map((record) => record.properties.n));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const name of hourly) {
      const hour = name.includes('-03_') ? 3 : 4;
      expect(read(name).every((record) => record.properties.hour === hour)).toBe(true);
      // A file only grows past the limit by the one write that found it below.
      expect(statSync(join(dir, name)).size).toBeLessThan(300 + 250);
    }
    expect(read('app.log.2026-01-02-03_0')[0]).toMatchObject({ '#type': 'track', '#event_name': 'tick', '#time': '2026-01-02 03:58:00.000', '#distinct_id': 'd1' });
    expect(files.filter((name) => !name.startsWith('app.'))).toEqual(['log.2026-01-02']);
    expect(read('log.2026-01-02')).toMatchObject([{ '#type': 'user_set', '#account_id': 'a1', properties: { plan: 'pro' } }]);
  });
});
