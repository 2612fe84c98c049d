/**
 * InLongApi over DataProxy TCP in Deno (the deno binary, the built package): the runtime's
 * `Deno.connect` adapter, through 114s, resets and lost acks on two TCP stand-ins served from
 * this Node process. 0 lost, 0 callbacks; repeats only of frames stored without an ack.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startTcpDataProxy } from '../helpers/dataproxy-tcp-fixture.js';
import { cleanup, runDeno } from './support.js';

afterAll(cleanup);

describe('InLongApi over TCP in Deno', () => {
  it('delivers every message over Deno.connect through 114s, resets and lost acks', async () => {
    const nodes = [await startTcpDataProxy(), await startTcpDataProxy()];
    try {
      for (const node of nodes) {
        for (const fault of [{ code: 114, times: 2 }, { resetBeforeStore: true }, { resetAfterStore: true }, { silentAfterStore: true }, { silent: true }, { code: 1 }, { closeOnFrame: true }] as const) node.inject(fault);
      }
      const run = await runDeno('test/deno/scripts/tcp-api.ts', { args: ['300'], env: { INLONG_TCP_URLS: nodes.map((node) => node.url).join(',') }, timeoutMs: 40_000 });
      expect(run.stderr).toBe('');
      const result = JSON.parse(run.stdout) as { failures: string[]; stats: { accepted: number; acked: number; failed: number; retried: number }; connects: number };
      expect(result.failures).toEqual([]);
      expect(result.stats).toMatchObject({ accepted: 300, acked: 300, failed: 0 });
      expect(result.stats.retried).toBeGreaterThan(0);
      // Every connection the stand-ins saw was opened through Deno.connect.
      expect(result.connects).toBe(nodes.reduce((sum, node) => sum + node.connections.accepted, 0));
      const counts = new Map<string, number>();
      for (const record of nodes.flatMap((node) => node.records())) counts.set(record, (counts.get(record) ?? 0) + 1);
      const sent = Array.from({ length: 300 }, (_, index) => (index % 4 === 0 ? `deno ${index}\nline two é€😀` : `{"deno":${index},"text":"é€😀 a&b=c","pad":"${'x'.repeat(index % 200)}"}`));
      expect(sent.filter((msg) => !counts.has(msg))).toEqual([]);
      const unacked = new Set(nodes.flatMap((node) => node.storedWithoutAck()));
      expect([...counts].filter(([record, times]) => times > 1 && !unacked.has(record))).toEqual([]);
      for (const node of nodes) expect(node.lost).toEqual({ trailingBytes: 0, cntMismatch: 0, corruptSnappy: 0, badFraming: 0, badFlags: 0 });
      expect(nodes.some((node) => node.received.some((item) => item.compressed))).toBe(true);
    } finally {
      await Promise.all(nodes.map((node) => node.stop()));
    }
  });
});
