import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleForBrowser, collectPageErrors, htmlPage } from '../helpers/chromium.js';
import { appFiles, ready } from './app.js';
import { appUrl, startStack, type Stack } from './stack.js';

let stack: Stack;
beforeAll(async () => {
  const importOnly = await bundleForBrowser(fileURLToPath(new URL('./pages/import-only.page.ts', import.meta.url)));
  stack = await startStack({ files: { ...(await appFiles()), '/import-only.html': htmlPage(['/import-only.js']), '/import-only.js': importOnly } });
});
afterAll(() => stack?.close());

/** Runs `body` in the page with the app's client (`c`) and root (`root`) as arguments. */
function inPage<T>(page: Page, body: string): Promise<T> {
  return page.evaluate(`(async () => { const { client: c, root } = globalThis.__app; ${body} })()`) as Promise<T>;
}

it('importing inlong-js/browser does nothing until init: no storage, no database', async () => {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${stack.server.url}/import-only.html`);
  await page.waitForFunction(() => (globalThis as { __imported?: string }).__imported === 'function');
  const touched = await page.evaluate(async () => ({ localStorage: localStorage.length, databases: (await indexedDB.databases()).length }));
  expect(touched).toEqual({ localStorage: 0, databases: 0 });
  await context.close();
});

it('the ThinkingData web facade from inlong-js/browser: identity, super properties, user operations, durations, presets', async () => {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  const url = appUrl(stack, { presetProperties: { '#app_version': '2.1.0' } });
  await page.goto(url);
  await ready(page);
  const ids = await inPage<{ anonymous: string; device: string }>(page, `
    const anonymous = c.getDistinctId();
    c.setSuperProperties({ channel: 'esm', plan: 'free' });
    c.unsetSuperProperty('plan');
    c.setDynamicSuperProperties(() => ({ tag: 'facade' }));
    c.setPageProperty({ section: 'news' });
    c.track('anonymous_view');
    c.identify('visitor-9');
    c.login('account-7');
    c.timeEvent('read');
    await new Promise((resolve) => setTimeout(resolve, 250));
    c.track('read', { words: 300 });
    c.trackFirst({ eventName: 'first_open' });
    c.trackUpdate({ eventName: 'order', eventId: 'o-1', properties: { state: 'paid' } });
    c.trackOverwrite({ eventName: 'order', eventId: 'o-1', properties: { state: 'shipped' } });
    c.userSet({ name: 'Ann', tag: 'facade' });
    c.userSetOnce({ first_seen: 'today', tag: 'facade' });
    c.userAdd({ coins: 5 });
    c.userUnset('name');
    c.userAppend({ tags: ['a'] });
    c.userUniqAppend({ tags: ['a', 'b'] });
    c.userDel();
    await c.flush();
    return { anonymous, device: c.getDeviceId() };`);
  const all = stack.received();
  const byEvent = (name: string) => all.find((item) => item.event === name);
  const types = all.map((item) => item.type);
  expect(types).toEqual(expect.arrayContaining(['track', 'track_update', 'track_overwrite', 'user_set', 'user_setOnce', 'user_add', 'user_unset', 'user_append', 'user_uniq_append', 'user_del']));
  const anonymous = byEvent('anonymous_view');
  expect(anonymous?.record['#distinct_id']).toBe(ids.anonymous);
  expect(anonymous?.record['#account_id']).toBeUndefined();
  expect(anonymous?.properties).toMatchObject({ channel: 'esm', section: 'news', tag: 'facade', '#device_id': ids.device, '#app_version': '2.1.0', '#lib': 'inlong-js-web' });
  expect(anonymous?.properties.plan).toBeUndefined();
  for (const preset of ['#os', '#browser', '#browser_version', '#screen_width', '#screen_height', '#url', '#url_path', '#title', '#zone_offset']) {
    expect(anonymous?.properties, preset).toHaveProperty([preset]);
  }
  const read = byEvent('read');
  expect(read?.record).toMatchObject({ '#distinct_id': 'visitor-9', '#account_id': 'account-7' });
  expect(Number(read?.properties['#duration'])).toBeGreaterThanOrEqual(0.2);
  expect(byEvent('first_open')?.record['#first_check_id']).toBe(ids.device);
  expect(all.find((item) => item.type === 'track_update')?.record['#event_id']).toBe('o-1');
  expect(all.find((item) => item.type === 'user_unset')?.properties).toEqual({ name: 0 });
  expect(all.find((item) => item.type === 'user_set')?.properties).toEqual({ name: 'Ann', tag: 'facade' });

  // Identity and super properties survive a reload; the page properties do not.
  await page.reload();
  await ready(page);
  const restored = await inPage<object>(page, `return { id: c.getDistinctId(), account: c.getAccountId(), device: c.getDeviceId(), supers: c.getSuperProperties(), page: c.getPageProperty() };`);
  expect(restored).toEqual({ id: 'visitor-9', account: 'account-7', device: ids.device, supers: { channel: 'esm' }, page: {} });
  expect(errors).toEqual([]);
  await context.close();
});

it('consent, tracking switch, strict mode and named instances', async () => {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  await page.goto(appUrl(stack, { flushIntervalMs: 60_000 }));
  await ready(page);
  const result = await inPage<Record<string, unknown>>(page, `
    c.track('consent', { tag: 'consent', n: 0 });
    const queuedBefore = c.stats().buffered;
    c.optOutTracking();
    await new Promise((resolve) => setTimeout(resolve, 100));
    c.track('consent', { tag: 'consent', n: 1 });
    const whileOut = c.stats();
    const stored = Object.keys(localStorage).filter((key) => !key.endsWith(':identity'));
    c.optInTracking();
    c.enableTracking(false);
    c.track('consent', { tag: 'consent', n: 2 });
    c.enableTracking(true);
    c.track('consent', { tag: 'consent', n: 3 });
    await c.flush();
    const second = root.initInstance('second', { serverUrl: ${JSON.stringify(stack.bridge.url)}, groupId: 'g', streamId: 's', flushIntervalMs: 50 });
    second.track('consent', { tag: 'consent', n: 4 });
    await second.flush();
    let strictError = '';
    const strict = root.initInstance('strict', { serverUrl: ${JSON.stringify(stack.bridge.url)}, groupId: 'g', streamId: 's', strict: true });
    try { strict.track('bad name!'); } catch (error) { strictError = error.name; }
    c.track('bad name!', { tag: 'lenient' });
    await c.flush();
    return { queuedBefore, whileOut: whileOut.queued + whileOut.buffered, stored, strictError, sameInstance: root.instance('second') === second,
      ids: [c.getDistinctId(), second.getDistinctId()], errors: globalThis.__app.errors.length };`);
  const consent = stack.tagged('consent');
  expect(result.queuedBefore).toBe(1);
  expect(result.whileOut).toBe(0);
  expect(result.stored).toEqual([]);
  expect(consent.map((item) => item.properties.n).sort()).toEqual([3, 4]);
  expect(result.strictError).toBe('ValidationError');
  expect(result.sameInstance).toBe(true);
  const [mainId, secondId] = result.ids as string[];
  expect(mainId).not.toBe(secondId);
  expect(consent.find((item) => item.properties.n === 4)?.record['#distinct_id']).toBe(secondId);
  // Lenient: the bad name is reported, and the record still goes out.
  expect(result.errors).toBeGreaterThan(0);
  expect(stack.tagged('lenient')).toHaveLength(1);
  await context.close();
});
