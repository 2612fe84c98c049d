/**
 * Node-side handles on the app page (test/browser/pages/app.page.ts): its bundle, and typed
 * calls into `window.__app`.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { BrowserStats, DropInfo } from '../../src/runtimes/browser.js';
import { bundleForBrowser, htmlPage } from '../helpers/chromium.js';

/** The app page's files for `serveStatic`. */
export async function appFiles(): Promise<Record<string, string>> {
  const script = await bundleForBrowser(fileURLToPath(new URL('./pages/app.page.ts', import.meta.url)));
  return { '/index.html': htmlPage(['/app.js']), '/app.js': script };
}

interface AppHandle {
  track(count: number, tag: string, from?: number): void;
  reloadAfterAcks(acks: number): void;
  client: { flush(): Promise<void>; stats(): BrowserStats };
  errors: string[];
  drops: DropInfo[];
}

/** Tracks `count` events tagged `tag` in the page. */
export const track = (page: Page, count: number, tag: string, from = 0): Promise<void> =>
  page.evaluate(([c, t, f]) => (globalThis as unknown as { __app: AppHandle }).__app.track(c, t, f), [count, tag, from] as const);

/** The page client's stats, errors and drops. */
export const inspect = (page: Page): Promise<{ stats: BrowserStats; errors: string[]; drops: DropInfo[] }> =>
  page.evaluate(() => {
    const handle = (globalThis as unknown as { __app: AppHandle }).__app;
    return { stats: handle.client.stats(), errors: handle.errors, drops: handle.drops };
  });

/** Waits until the page's app exists (its script ran). */
export const ready = (page: Page): Promise<unknown> => page.waitForFunction(() => (globalThis as { __app?: unknown }).__app !== undefined);

export type { AppHandle };
