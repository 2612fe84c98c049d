import { describe, expect, it } from 'vitest';
import { createBridge } from '../../src/bridge/index.js';
import type { Sink, SinkPack, SinkResult } from '../../src/bridge/index.js';
import { buildMultiPackBody } from '../../src/dataproxy/multi-pack.js';

/** A sink that holds each write until released, and can fail the first one. */
function slowSink(failFirst = false) {
  const written: string[] = [];
  const releases: Array<() => void> = [];
  let writes = 0;
  const sink: Sink = {
    name: 'slow',
    description: 'test sink',
    async write(packs: readonly SinkPack[]): Promise<SinkResult[]> {
      const attempt = ++writes;
      await new Promise<void>((resolve) => releases.push(resolve));
      if (failFirst && attempt === 1) return packs.map(() => ({ code: '1', msg: 'sink not ready' }));
      for (const pack of packs) written.push(...pack.records);
      return packs.map(() => ({ code: '0', msg: 'Ok' }));
    },
  };
  return { sink, written, release: () => releases.splice(0).forEach((release) => release()), writes: () => writes };
}

const record = JSON.stringify({ '#type': 'track', '#time': '2026-01-01 00:00:00.000', '#distinct_id': 'd', '#event_name': 'e', '#uuid': 'aaaaaaaa-0000-4000-8000-000000000001', properties: {} });
const post = (bridge: ReturnType<typeof createBridge>) =>
  bridge.fetch(
    new Request('http://bridge/dataproxy/message', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: buildMultiPackBody([{ groupId: 'g', streamId: 's', dt: 1, records: [record] }]),
    }),
  );
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('bridge: a #uuid still being forwarded', () => {
  it('is not forwarded again by a concurrent copy (beacon racing its fetch)', async () => {
    const target = slowSink();
    const bridge = createBridge({ sink: target.sink, rateLimit: false });
    const first = post(bridge);
    await settle();
    const second = post(bridge);
    await settle();
    expect(target.writes()).toBe(1);
    target.release();
    const replies = await Promise.all([first, second]);
    expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
    for (const reply of replies) expect((await reply.json()).code).toBe('0');
    expect(target.written).toEqual([record]);
  });

  it('is forwarded by the copy when the first write failed', async () => {
    const target = slowSink(true);
    const bridge = createBridge({ sink: target.sink, rateLimit: false });
    const first = post(bridge);
    await settle();
    const second = post(bridge);
    await settle();
    target.release();
    const firstReply = await (await first).json();
    expect(firstReply.code).toBe('1');
    await settle();
    target.release();
    expect((await (await second).json()).code).toBe('0');
    expect(target.written).toEqual([record]);
  });
});
