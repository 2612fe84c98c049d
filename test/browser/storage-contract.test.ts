import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser, collectPageErrors, htmlPage, launchChromium, serveStatic, type StaticServer } from '../helpers/chromium.js';

interface CaseResult {
  name: string;
  ok: boolean;
  error?: string;
}

// Written out, not imported from the suite: a case that silently stops running must fail here.
const CONTRACT_CASES = [
  'get of a missing key is undefined',
  'roundtrips an object with nested arrays',
  'roundtrips unicode strings',
  'roundtrips numbers, booleans and null',
  'roundtrips Uint8Array byte for byte',
  'overwrites a value',
  'removes a value, and removing a missing key is fine',
  'keys(prefix) returns exactly the keys with that prefix',
  'stores a copy: changing the object after set changes nothing',
  'returns a copy: changing what get returned changes nothing',
  'sets 200 keys concurrently, all readable',
  'roundtrips a 1 MB string',
];

const EXPECTED = [
  ...['memory', 'localStorage', 'indexedDB'].flatMap((adapter) => CONTRACT_CASES.map((name) => `${adapter} > ${name}`)),
  'indexedDB > adds a second store to an existing database',
  'chooseStorage > picks indexedDB normally',
  'chooseStorage > picks localStorage when indexedDB.open throws',
  'chooseStorage > picks localStorage when indexedDB.open never answers',
  'chooseStorage > keeps packs in memory when indexedDB and localStorage both fail',
  'chooseStorage > follows the storage option',
  'quota > localStorage set rejects with StorageQuotaError',
  'quota > localStorage setSync returns false on a quota error',
  'quota > real localStorage rejects a value past its limit, setSync returns false',
];

describe('storage adapters in Chromium', () => {
  let browser: Browser;
  let server: StaticServer;
  let page: Page;
  let pageErrors: string[];
  let cdp: CDPSession | undefined;
  const results = new Map<string, CaseResult>();

  beforeAll(async () => {
    const script = await bundleForBrowser(fileURLToPath(new URL('./pages/storage-contract.page.ts', import.meta.url)));
    server = await serveStatic({ files: { '/index.html': htmlPage(['/page.js']), '/blank.html': htmlPage([]), '/page.js': script } });
    browser = await launchChromium();
    page = await browser.newPage();
    pageErrors = collectPageErrors(page);
    // A real QuotaExceededError needs a small quota. Chromium (156) applies the override only
    // while the CDP session stays attached, and only if set before the origin first touches
    // IndexedDB: so set it from a blank page of the same origin, then load the test page.
    // 64 MiB leaves the contract room (it stores a few MB) and the quota case can exceed it.
    await page.goto(`${server.url}/blank.html`);
    cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.url, quotaSize: 64 * 1024 * 1024 });
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => (globalThis as { __done?: boolean }).__done === true, undefined, { timeout: 90_000 });
    const reported = await page.evaluate(() => (globalThis as { __results?: CaseResult[] }).__results ?? []);
    for (const result of reported) results.set(result.name, result);
  });

  afterAll(async () => {
    await cdp?.detach();
    await browser?.close();
    await server?.close();
  });

  it.each(EXPECTED)('%s', (name) => {
    const result = results.get(name);
    expect(result, `case "${name}" did not run in the page`).toBeDefined();
    expect(result?.error).toBeUndefined();
    expect(result?.ok).toBe(true);
  });

  it('ran no case this file does not list, and the page logged no errors', () => {
    expect([...results.keys()].filter((name) => !EXPECTED.includes(name))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('quota > indexedDB set rejects with StorageQuotaError (real quota, set through CDP)', async () => {
    const result = await page.evaluate(async () => {
      const run = (globalThis as { __indexedDbQuotaCase?: () => Promise<CaseResult> }).__indexedDbQuotaCase;
      return run === undefined ? { name: 'missing', ok: false, error: 'page did not expose the case' } : run();
    });
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
  });
});
