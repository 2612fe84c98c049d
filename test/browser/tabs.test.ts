import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectPageErrors } from '../helpers/chromium.js';
import { appFiles, inspect, ready, track } from './app.js';
import { appUrl, countByUuid, duplicates, indexes, range, startStack, type Stack } from './stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ files: await appFiles() });
});
afterAll(() => stack?.close());

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function openTabs(context: BrowserContext, cfg: Record<string, unknown>): Promise<Array<{ page: Page; errors: string[] }>> {
  const tabs = [];
  for (let index = 0; index < 3; index++) {
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(appUrl(stack, cfg));
    await ready(page);
    tabs.push({ page, errors });
  }
  return tabs;
}

/**
 * Three tabs of one origin track at once; tab A cannot reach the bridge for a while, so its packs
 * wait in the shared outbox where B and C find them (rescans every 300 ms) while A keeps retrying
 * them: every pack must still leave exactly once.
 */
async function threeTabs(tag: string, cfg: Record<string, unknown>): Promise<{ dedupedBefore: number; dedupedAfter: number }> {
  const dedupedBefore = stack.bridge.bridge.stats().deduped;
  const context = await stack.browser.newContext();
  const tabs = await openTabs(context, { rescanMs: 300, retryBaseMs: 300, retryMaxMs: 600, batchSize: 20, ...cfg });
  const [a] = tabs;
  if (!a) throw new Error('no tab');
  await a.page.route(`${stack.bridge.url}/**`, (route) => route.abort('connectionrefused'));
  await Promise.all(tabs.map(({ page }, index) => track(page, 300, tag, index * 300)));
  await sleep(1500);
  await a.page.unroute(`${stack.bridge.url}/**`);
  const received = await stack.waitForTagged(tag, 900, 20_000);
  expect(duplicates(received)).toEqual([]);
  expect(indexes(received)).toEqual(range(900));
  const taken = await Promise.all(tabs.map(({ page }) => inspect(page)));
  console.info(`tabs (${tag}): acked per tab ${taken.map(({ stats }) => stats.acked).join(' / ')}, tab A tracked ${taken[0]?.stats.tracked}`);
  for (const { errors } of tabs) expect(errors.filter((line) => !line.includes('net::ERR_'))).toEqual([]);
  await context.close();
  return { dedupedBefore, dedupedAfter: stack.bridge.bridge.stats().deduped };
}

it('three tabs tracking at once (Web Locks): every event received once, none even sent twice', async () => {
  const { dedupedBefore, dedupedAfter } = await threeTabs('tabs-locks', {});
  // The bridge drops a `#uuid` it has seen: zero drops means no tab sent another's pack again.
  expect(dedupedAfter - dedupedBefore).toBe(0);
  expect(countByUuid(stack.tagged('tabs-locks')).size).toBe(900);
});

it('three tabs tracking at once (storage lease, no Web Locks): every event received once', async () => {
  const { dedupedBefore, dedupedAfter } = await threeTabs('tabs-lease', { webLocks: false });
  console.info(`tabs (storage lease): ${dedupedAfter - dedupedBefore} repeats dropped by the bridge`);
});
