import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectPageErrors } from '../helpers/chromium.js';
import { appFiles, ready, track } from './app.js';
import { appUrl, duplicates, indexes, range, startStack, type Stack } from './stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ files: await appFiles() });
});
afterAll(() => stack?.close());

/** Tracks 200 events, closes the tab at once, and (only if needed) visits again. */
async function closeRightAfterTracking(tag: string, cfg: Record<string, unknown>): Promise<{ beforeClose: number; byExit: number }> {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(appUrl(stack, cfg));
  await ready(page);
  await track(page, 200, tag);
  const beforeClose = stack.tagged(tag).length;
  await page.close();
  let received = await stack.waitForTagged(tag, 200, 3000);
  const byExit = new Set(received.map((item) => item.uuid)).size;
  if (byExit < 200) {
    // What did not fit the page-exit budget waits in storage: the next visit sends it.
    const next = await context.newPage();
    await next.goto(appUrl(stack, cfg));
    // Bounded by the outbox's periodic look for leftovers (15 s), in case its first looks ran
    // while the closed tab was still writing them.
    received = await stack.waitForTagged(tag, 200, 20_000);
  }
  console.info(`tab close (${tag}): ${beforeClose} sent before the close, ${byExit}/200 after page exit, ${200 - byExit} left for the next visit`);
  expect(duplicates(received)).toEqual([]);
  expect(indexes(received)).toEqual(range(200));
  expect(errors).toEqual([]);
  await context.close();
  return { beforeClose, byExit };
}

it('tab closed right after tracking 200 events (default options): all 200 received', async () => {
  await closeRightAfterTracking('close-default', {});
});

it('tab closed with all 200 events still unsent and uncompressed: page exit sends what fits, the next visit the rest', async () => {
  // One open pack for 10 s: nothing leaves before the close, nothing is compressed yet.
  const { beforeClose, byExit } = await closeRightAfterTracking('close-cold', { batchSize: 1000, flushIntervalMs: 10_000 });
  expect(beforeClose).toBe(0);
  expect(byExit).toBeGreaterThan(0);
});
