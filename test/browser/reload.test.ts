import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectPageErrors } from '../helpers/chromium.js';
import { appFiles, inspect, ready, type AppHandle } from './app.js';
import { appUrl, duplicates, indexes, range, startStack, type Stack } from './stack.js';

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  stack = await startStack({ files: await appFiles() });
  browser = stack.browser;
});
afterAll(() => stack?.close());

it('1,000 events, page reloaded in the middle of a flush: 1,000 received, 0 duplicates', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(appUrl(stack, { batchSize: 50 }));
  await ready(page);
  const reloaded = page.waitForEvent('load');
  // Reload from inside the page on the 3rd acknowledgement: the flush of 20+ packs is under way.
  await page.evaluate(() => {
    const app = (globalThis as unknown as { __app: AppHandle }).__app;
    app.reloadAfterAcks(3);
    app.track(1000, 'reload');
    void app.client.flush();
  });
  await reloaded;
  const atReload = stack.tagged('reload').length;
  await ready(page);
  const received = await stack.waitForTagged('reload', 1000, 20_000);
  // The reloaded page tracked nothing: what it acknowledged are the packs the first load left in
  // storage (leased in flight, or waiting), found by its scan and sent again.
  // `queued` is 0 also before the reloaded page has chosen its storage and read it back: wait for
  // the choice and the first scan, then for the outbox to drain.
  await page.waitForFunction(() => (globalThis as unknown as { __app: AppHandle }).__app.client.stats().storage !== 'probing');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await page.waitForFunction(() => (globalThis as unknown as { __app: AppHandle }).__app.client.stats().queued === 0);
  const { stats } = await inspect(page);
  const { deduped } = stack.bridge.bridge.stats();
  console.info(
    `reload: ${atReload} records at DataProxy when the page reloaded (acks + page-exit beacons); ` +
      `the reloaded page re-sent ${stats.acked} left in storage; the bridge dropped ${deduped} repeats`,
  );
  expect(stats.tracked).toBe(0);
  expect(stats.acked).toBeGreaterThan(0);
  expect(duplicates(received)).toEqual([]);
  expect(indexes(received)).toEqual(range(1000));
  expect(received).toHaveLength(1000);
  expect(errors).toEqual([]);
  await context.close();
});
