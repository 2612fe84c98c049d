import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectPageErrors } from '../helpers/chromium.js';
import { appFiles, inspect, ready, track } from './app.js';
import { appUrl, duplicates, indexes, range, startStack, type Stack } from './stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ files: await appFiles() });
});
afterAll(() => stack?.close());

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

it('30 s without a network (15 s of failing requests, then 15 s offline), then online: all received', async () => {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(appUrl(stack, { retryBaseMs: 500, retryMaxMs: 4000 }));
  await ready(page);

  // Phase 1: the network is "up" but every request to the bridge fails (a captive portal, a
  // dead proxy): real attempts, real failures, backoff between them.
  let refused = 0;
  await context.route(`${stack.bridge.url}/**`, (route) => {
    refused++;
    return route.abort('connectionrefused');
  });
  for (let second = 0; second < 15; second++) {
    await track(page, 10, 'offline', second * 10);
    await sleep(1000);
  }
  const failing = await inspect(page);

  // Phase 2: the browser knows it is offline: nothing is attempted.
  await context.setOffline(true);
  // A request already on its way when the network dropped is not one attempted while offline:
  // let the `offline` event reach the page and that request fail before counting.
  await sleep(300);
  const refusedBeforeOffline = refused;
  for (let second = 15; second < 30; second++) {
    await track(page, 10, 'offline', second * 10);
    await sleep(1000);
  }
  const offline = await inspect(page);
  expect(stack.tagged('offline')).toHaveLength(0);

  // Back online: everything goes out at once, backoff forgotten.
  await context.unroute(`${stack.bridge.url}/**`);
  await context.setOffline(false);
  const started = Date.now();
  const received = await stack.waitForTagged('offline', 300, 15_000);
  console.info(
    `offline: ${refusedBeforeOffline} requests failed in 15 s (${failing.stats.retried} retries scheduled), ` +
      `${refused - refusedBeforeOffline} attempted while offline, all 300 received ${Date.now() - started} ms after coming back`,
  );
  expect(refusedBeforeOffline).toBeGreaterThanOrEqual(5);
  expect(failing.stats.retried).toBeGreaterThanOrEqual(5);
  expect(offline.stats.online).toBe(false);
  expect(refused - refusedBeforeOffline).toBe(0);
  expect(duplicates(received)).toEqual([]);
  expect(indexes(received)).toEqual(range(300));
  // The browser logs each refused request itself; what must not happen is an exception.
  expect(errors.filter((line) => !line.includes('net::ERR_'))).toEqual([]);
  await context.close();
}, 90_000);
