/**
 * The README's first screen, as a user meets it: start the playground the way `npm start` does
 * (`npm start`, with a throwaway sink file), open it in real Chromium, click, break
 * the network and the bridge, and check that every click is in the page's list and in the sink.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { INLONG_SNIPPET } from '../../src/runtimes/browser/snippet.js';
import { collectPageErrors, launchChromium } from '../helpers/chromium.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCREENSHOT = join(ROOT, 'test-results/playground.png');
const N = 25;

interface StoredRecord {
  seq: number;
  streamId: string;
  record: string;
}

let child: ChildProcess | undefined;
let exited: Promise<number | null> | undefined;
let output = '';
let url = '';
let sinkDir = '';
let browser: Browser | undefined;

beforeAll(async () => {
  sinkDir = mkdtempSync(join(tmpdir(), 'pg-')); // short: the page shows the path
  // The README's first command, as a user types it (npm start runs playground/start.mjs); its own
  // process group, so cleanup reaches the node process under npm too.
  child = spawn('npm', ['start', '--silent', '--', '--port', '0', '--no-open', '--sink-file', join(sinkDir, 'records.jsonl')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const running = child;
  exited = new Promise((resolve) => running.once('exit', (code) => resolve(code)));
  running.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  running.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Up to 50 s: a checkout without dist/ builds it first.
  url = await waitFor(() => /playground on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1], 50_000, () => `no URL printed:\n${output}`);
  browser = await launchChromium();
}, 60_000);

// The fault switches live in the server: one test failing with them on must not fail the next.
beforeEach(async () => {
  if (!url) return;
  const body = JSON.stringify({ offline: false, reply: 'off', rate: 1, slowMs: 0, sinkFull: false });
  const response = await fetch(`${url}playground/faults`, { method: 'POST', body });
  expect(response.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch (error) {
      // ESRCH: the group is already gone (npm itself may die of the signal first).
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    await exited;
  }
  rmSync(sinkDir, { recursive: true, force: true });
});

it(`starts like npm start does and prints the bridge's line and the playground URL`, () => {
  expect(output).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/m);
  expect(output).toMatch(/^mode: embedded sink at .*records\.jsonl$/m);
});

it(`tracks ${N} clicks through offline and error replies: all ${N} are in the page's list and in the sink, once`, async () => {
  const context = await started().browser.newContext({ viewport: { width: 1366, height: 860 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(url);
  await page.waitForSelector('body[data-ready]', { timeout: 15_000 });
  await page.click('#super-set');
  await page.click('#login');
  await page.click('#user-run'); // userSet: one user_set record

  // Online: delivered as they come (the user_set record and 10 clicks).
  await clickTrack(page, 10);
  await waitForText(page, '#stat-acked', (text) => Number(text) === 11, 15_000);

  // Offline: the client pauses and the outbox holds the clicks; nothing reaches the sink.
  await page.click('label.switch:has(#fault-offline)');
  await waitForText(page, '#stat-online', (text) => text === 'offline', 5000);
  await clickTrack(page, 10);
  await waitForText(page, '#stat-outbox', (text) => Number(text) === 10, 5000);
  expect(await page.isVisible('[data-id="faults"]')).toBe(true);
  await page.waitForTimeout(1000);
  expect(sinkRecords()).toHaveLength(11);

  // Back online, but the bridge answers code 1 (sink not ready): retries, with a banner saying so.
  await page.selectOption('#fault-reply', 'code1');
  await page.click('label.switch:has(#fault-offline)');
  await waitForText(page, '#stat-online', (text) => text === 'online', 5000);
  await clickTrack(page, N - 20);
  await waitForText(page, '#stat-retried', (text) => Number(text) > 0, 15_000);
  await page.waitForSelector('[data-id="retrying"]', { timeout: 5000 });
  await page.selectOption('#fault-reply', 'off');

  // Recovery: everything arrives, nothing twice.
  await waitForText(page, '#received-count', (text) => Number(text) === N + 1, 20_000);
  await waitForText(page, '#stat-outbox', (text) => text === '0', 10_000);
  expect(await page.locator('#records [data-event="button_click"]').count()).toBe(N);
  expect(await page.locator('#records [data-type="user_set"]').count()).toBe(1);
  const clicks = sinkRecords()
    .map((stored) => JSON.parse(stored.record) as Record<string, unknown>)
    .filter((record) => record['#event_name'] === 'button_click');
  expect(clicks).toHaveLength(N);
  expect(new Set(clicks.map((record) => record['#uuid'])).size).toBe(N);
  expect(clicks.every((record) => record['#account_id'] === 'user-42' && (record.properties as Record<string, unknown>).channel === 'playground')).toBe(true);
  expect(sinkFileLines().length).toBe(N + 1);
  const served = (await (await fetch(`${url}inlong/records?after=0`)).json()) as { records: StoredRecord[] };
  expect(served.records.map((stored) => stored.seq)).toEqual(sinkRecords().map((stored) => stored.seq));
  expect(Number(await page.textContent('#stat-retried'))).toBeGreaterThan(0);
  expect(await page.textContent('#stat-failed')).toBe('0');

  // Let the chart show the recovery, then keep the picture.
  await page.waitForTimeout(1500);
  await page.evaluate(() => window.scrollTo(0, 0));
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  // The README's picture is refreshed on request only, so a test run leaves the tree clean.
  if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(SCREENSHOT, join(ROOT, 'playground/screenshot.png'));
  expect(statSync(SCREENSHOT).size).toBeGreaterThan(20_000);
  expect(pageErrors(errors)).toEqual([]);
  await context.close();
});

it('a bridge that drops connections while the page thinks it is online: retried until it gets through', async () => {
  const context = await started().browser.newContext();
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(url);
  await page.waitForSelector('body[data-ready]', { timeout: 15_000 });
  const before = sinkRecords().length;
  // Server side only: no `offline` event, so the client keeps trying and sees network errors.
  await fetch(`${url}playground/faults`, { method: 'POST', body: JSON.stringify({ offline: true }) });
  await page.fill('#event-name', 'while_unreachable');
  await clickTrack(page, 3);
  await waitForText(page, '#stat-retried', (text) => Number(text) >= 2, 15_000);
  expect(await page.textContent('#activity')).toContain('network');
  expect(sinkRecords()).toHaveLength(before);
  await fetch(`${url}playground/faults`, { method: 'POST', body: JSON.stringify({ offline: false }) });
  await waitForText(page, '#stat-acked', (text) => text === '3', 15_000);
  const arrived = sinkRecords().map((stored) => JSON.parse(stored.record) as Record<string, unknown>).filter((record) => record['#event_name'] === 'while_unreachable');
  expect(arrived).toHaveLength(3);
  expect(pageErrors(errors)).toEqual([]);
  await context.close();
});

it('the <script> tag example: the loader snippet queues calls before the SDK loads, and they arrive', async () => {
  expect(readFileSync(join(ROOT, 'playground/script-tag.html'), 'utf8')).toContain(INLONG_SNIPPET);
  const context = await started().browser.newContext();
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${url}playground/script-tag.html`);
  await page.waitForSelector('body[data-done]', { timeout: 15_000 });
  expect(await page.textContent('#queued')).toBe('5');
  expect(await page.textContent('#loaded')).toMatch(/^yes/);
  expect(await page.textContent('#arrived-count')).toBe('3');
  expect(sinkRecords().filter((stored) => stored.streamId === 'script-tag')).toHaveLength(3);
  expect(pageErrors(errors)).toEqual([]);
  await context.close();
});

it('the ESM example: imports /dist/browser.js, flush() resolves, and the records arrive', async () => {
  const context = await started().browser.newContext();
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${url}playground/esm.html`);
  await page.waitForSelector('body[data-done]', { timeout: 15_000 });
  expect(await page.textContent('#flushed')).toMatch(/^yes, 2 records acknowledged/);
  expect(await page.textContent('#arrived-count')).toBe('2');
  const esm = sinkRecords().filter((stored) => stored.streamId === 'esm').map((stored) => JSON.parse(stored.record) as Record<string, unknown>);
  expect(esm.map((record) => record['#event_name'])).toEqual(['page_view', 'checkout']);
  expect(esm[1]?.['#account_id']).toBe('user-7');
  expect(pageErrors(errors)).toEqual([]);
  await context.close();
});

it('stops cleanly on Ctrl+C (SIGINT to the foreground process group)', async () => {
  const { pid } = started().child;
  if (pid === undefined) throw new Error('npm start has no pid');
  process.kill(-pid, 'SIGINT');
  const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 10_000))]);
  expect(code).not.toBe('timeout');
  // The playground server's own graceful path ran (it prints "stopped" after closing).
  expect(output).toMatch(/^stopped$/m);
});

/** The server and browser `beforeAll` started; a clear error instead of `!` when it did not. */
function started(): { child: ChildProcess; browser: Browser } {
  if (!child || !browser) throw new Error(`the playground did not start:\n${output}`);
  return { child, browser };
}

/** What the sink file holds: its truth, written and fdatasync'd before each acknowledgement. */
function sinkRecords(): StoredRecord[] {
  return sinkFileLines().map((line) => JSON.parse(line) as StoredRecord);
}

function sinkFileLines(): string[] {
  try {
    return readFileSync(join(sinkDir, 'records.jsonl'), 'utf8').split('\n').filter((line) => line.trim() !== '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Clicks at a human pace, so the chart in the screenshot shows the phases side by side. */
async function clickTrack(page: Page, times: number): Promise<void> {
  for (let n = 0; n < times; n++) {
    await page.click('#track');
    await page.waitForTimeout(150);
  }
}

async function waitForText(page: Page, selector: string, accept: (text: string) => boolean, timeoutMs: number): Promise<void> {
  let last = '';
  await waitFor(
    async () => {
      last = (await page.textContent(selector)) ?? '';
      return accept(last) ? true : undefined;
    },
    timeoutMs,
    () => `${selector} is ${JSON.stringify(last)}`,
  );
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, describe: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Page errors, minus Chromium's own line for each request a fault made fail on purpose. */
function pageErrors(errors: string[]): string[] {
  return errors.filter((line) => !/Failed to load resource/.test(line));
}
