import { afterAll, beforeAll, expect, it } from 'vitest';
import { appFiles, inspect, ready, track } from './app.js';
import { appUrl, duplicates, indexes, range, startStack, type Stack } from './stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ files: await appFiles() });
});
afterAll(() => stack?.close());

it('a later visit whose IndexedDB opens slowly still finds the packs an earlier visit left there', async () => {
  const context = await stack.browser.newContext();
  // Visit 1 sends to a port where nothing listens, so its packs stay in the outbox (IndexedDB).
  const first = await context.newPage();
  await first.goto(appUrl(stack, { bridge: 'http://127.0.0.1:9', retryBaseMs: 60_000 }));
  await ready(first);
  await track(first, 20, 'sticky');
  await first.waitForFunction(() => {
    const app = (globalThis as unknown as { __app: { client: { stats(): { storage: string; queued: number } } } }).__app;
    const stats = app.client.stats();
    return stats.storage === 'indexedDB' && stats.queued === 20;
  });
  await first.close({ runBeforeUnload: false });
  expect(stack.tagged('sticky')).toHaveLength(0);

  // Visit 2: IndexedDB answers after 2.5 s, past the 1 s a first visit would wait for it.
  const second = await context.newPage();
  await second.goto(appUrl(stack, { slowIndexedDbMs: 2500 }));
  await ready(second);
  const received = await stack.waitForTagged('sticky', 20, 15_000);
  expect((await inspect(second)).stats.storage).toBe('indexedDB');
  expect(duplicates(received)).toEqual([]);
  expect(indexes(received)).toEqual(range(20));
  await context.close();
});
