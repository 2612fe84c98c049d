import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { INLONG_SNIPPET } from '../../src/runtimes/browser/snippet.js';
import { collectPageErrors } from '../helpers/chromium.js';
import { duplicates, indexes, range, startStack, type Stack } from './stack.js';

const GLOBAL_BUILD = fileURLToPath(new URL('../../dist/inlong.global.js', import.meta.url));

let stack: Stack;
let bridgeUrl = '';

/** A plain page: the snippet, calls made at once, and the real script arriving 300 ms later. */
const page = (): string => `<!doctype html>
<html><head><meta charset="utf-8"><title>script tag</title>
<script>${INLONG_SNIPPET}</script>
<script>
  InLong.init({ serverUrl: ${JSON.stringify(bridgeUrl)}, groupId: 'g', streamId: 's', flushIntervalMs: 100 });
  InLong.identify('visitor-1');
  InLong.setSuperProperties({ channel: 'script' });
  for (var n = 0; n < 50; n++) InLong.track('early', { n: n, tag: 'script' });
  window.__beforeLoad = typeof InLong._q;
</script>
<script async src="/inlong.global.js"></script>
</head><body></body></html>`;

beforeAll(async () => {
  if (!existsSync(GLOBAL_BUILD)) throw new Error('dist/inlong.global.js is missing: run `npx tsup` before the browser tests');
  const script = readFileSync(GLOBAL_BUILD, 'utf8');
  stack = await startStack({
    files: {
      '/index.html': () => page(),
      // Slow on purpose: every call above is made before the SDK exists.
      '/inlong.global.js': () => new Promise((resolve) => setTimeout(() => resolve(script), 300)),
    },
  });
  bridgeUrl = stack.bridge.url;
});
afterAll(() => stack?.close());

it('the <script> build: snippet + async script tag, calls made before it loaded are all received', async () => {
  const context = await stack.browser.newContext();
  const tab = await context.newPage();
  const errors = collectPageErrors(tab);
  await tab.goto(`${stack.server.url}/`);
  expect(await tab.evaluate(() => (globalThis as { __beforeLoad?: string }).__beforeLoad)).toBe('object');
  await tab.waitForFunction(() => typeof (globalThis as { InLong?: { instance?: unknown } }).InLong?.instance === 'function');
  const after = await tab.evaluate(async () => {
    const InLong = (globalThis as unknown as { InLong: { track(name: string, props: object): void; getDistinctId(): string; flush(): Promise<void>; _q?: unknown } }).InLong;
    for (let n = 50; n < 100; n++) InLong.track('late', { n, tag: 'script' });
    await InLong.flush();
    return { distinctId: InLong.getDistinctId(), queue: typeof InLong._q };
  });
  const received = await stack.waitForTagged('script', 100, 5000);
  expect(after).toEqual({ distinctId: 'visitor-1', queue: 'undefined' });
  expect(duplicates(received)).toEqual([]);
  expect(indexes(received)).toEqual(range(100));
  expect(received.every((item) => item.record['#distinct_id'] === 'visitor-1' && item.properties.channel === 'script')).toBe(true);
  expect(received.filter((item) => item.event === 'early').map((item) => item.properties.n)).toEqual(range(50));
  expect(received.every((item) => item.properties['#lib'] === 'inlong-js-web')).toBe(true);
  expect(errors).toEqual([]);
  await context.close();
});
