import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectPageErrors } from '../helpers/chromium.js';
import { appFiles, inspect, ready, track } from './app.js';
import { appUrl, duplicates, indexes, startStack, type Stack } from './stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ files: await appFiles() });
});
afterAll(() => stack?.close());

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Tracks 300 events while the bridge is unreachable, then lets them out; returns what happened. */
async function overflow(tag: string, cfg: Record<string, unknown>, before?: (page: Page) => Promise<unknown>) {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(appUrl(stack, { batchSize: 10, retryBaseMs: 100, retryMaxMs: 200, ...cfg }));
  await ready(page);
  await before?.(page);
  await page.route(`${stack.bridge.url}/**`, (route) => route.abort('connectionrefused'));
  // track() must never throw at the page, whatever the storage does.
  await track(page, 300, tag);
  await sleep(1000);
  const full = await inspect(page);
  await page.unroute(`${stack.bridge.url}/**`);
  const dropped = full.drops.reduce((sum, drop) => sum + drop.records, 0);
  const received = await stack.waitForTagged(tag, 300 - dropped, 10_000);
  await sleep(300);
  const done = await inspect(page);
  expect(errors.filter((line) => !line.includes('net::ERR_'))).toEqual([]);
  expect(duplicates(received)).toEqual([]);
  expect(done.stats.dropped).toBe(dropped);
  expect(new Set(received.map((item) => item.uuid)).size + dropped).toBe(300);
  await context.close();
  return { full, dropped, kept: indexes(received) };
}

it('outbox past maxBytes, drop-oldest (default): the oldest packs are dropped and reported, the newest delivered', async () => {
  const { full, dropped, kept } = await overflow('bound-oldest', { maxBytes: 20_000 });
  console.info(`quota (drop-oldest): ${dropped}/300 dropped, ${kept.length} delivered (n ${kept[0]}..${kept.at(-1)})`);
  expect(dropped).toBeGreaterThan(0);
  expect(full.drops.every((drop) => drop.reason === 'overflow')).toBe(true);
  expect(full.stats.queuedBytes).toBeLessThanOrEqual(20_000);
  expect(kept).toContain(299);
  expect(kept).not.toContain(0);
});

it('outbox past maxBytes, drop-newest: the newest packs are refused and reported, the oldest delivered', async () => {
  const { dropped, kept } = await overflow('bound-newest', { maxBytes: 20_000, overflow: 'drop-newest' });
  console.info(`quota (drop-newest): ${dropped}/300 dropped, ${kept.length} delivered (n ${kept[0]}..${kept.at(-1)})`);
  expect(dropped).toBeGreaterThan(0);
  expect(kept).toContain(0);
  expect(kept).not.toContain(299);
});

it('localStorage quota exhausted: packs kept in memory, the refusal reported once, the bound drops the oldest, nothing thrown', async () => {
  const fill = (page: Page) =>
    page.evaluate(() => {
      // Fill this origin's localStorage to the last few characters: a real QuotaExceededError.
      let size = 1 << 20;
      let index = 0;
      while (size >= 8) {
        try {
          localStorage.setItem(`junk:${index++}`, 'x'.repeat(size));
        } catch {
          size >>= 1;
        }
      }
    });
  const { full, dropped } = await overflow('ls-quota', { storage: 'localStorage', maxBytes: 60_000 }, fill);
  console.info(`quota (localStorage full): errors ${JSON.stringify(full.errors.slice(0, 2))}, ${dropped}/300 dropped by the 60 KB bound`);
  expect(full.stats.storage).toBe('localStorage');
  expect(full.errors.filter((line) => line.includes('StorageQuotaError'))).toHaveLength(1);
  expect(dropped).toBeGreaterThan(0);
});
