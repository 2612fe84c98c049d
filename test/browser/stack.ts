/**
 * The delivery stack the browser tests share: DataProxy fixture ← real bridge (its own origin, so
 * every request from the page is cross-origin, as in production) ← a page server. Records are
 * counted where they land, in the DataProxy fixture, by `#uuid`.
 */
import type { Browser } from 'playwright-core';
import { startBridgeServer, type BridgeServer, type BridgeServerOptions } from '../../src/bridge/node-server.js';
import { launchChromium, serveStatic, type ServeStaticOptions, type StaticServer } from '../helpers/chromium.js';
import { startDataProxy, type DataProxyNode } from '../helpers/dataproxy-fixture.js';

export interface Received {
  uuid: string;
  event: string | undefined;
  type: string;
  properties: Record<string, unknown>;
  record: Record<string, unknown>;
}

export interface Stack {
  dp: DataProxyNode;
  bridge: BridgeServer;
  server: StaticServer;
  browser: Browser;
  /** Every record that reached DataProxy, parsed. */
  received(): Received[];
  /** Records with `properties.tag === tag`. */
  tagged(tag: string): Received[];
  /** Waits until `count` distinct uuids carry `tag`; returns the tagged records. */
  waitForTagged(tag: string, count: number, timeoutMs: number): Promise<Received[]>;
  close(): Promise<void>;
}

/**
 * Starts DataProxy fixture, bridge and page server, and launches Chromium.
 * @example const stack = await startStack({ files: { '/index.html': html, '/app.js': script } });
 */
export async function startStack(pages: ServeStaticOptions, bridgeOptions: Partial<BridgeServerOptions> = {}): Promise<Stack> {
  const dp = await startDataProxy();
  const server = await serveStatic(pages);
  const bridge = await startBridgeServer({ port: 0, dataproxy: [dp.url], streams: ['g/s'], allowOrigins: [server.url], rateLimit: false, ...bridgeOptions });
  const browser = await launchChromium();
  const received = (): Received[] =>
    dp.records().map((text) => {
      const record = JSON.parse(text) as Record<string, unknown>;
      const properties = (record.properties ?? {}) as Record<string, unknown>;
      return { uuid: String(record['#uuid']), event: record['#event_name'] as string | undefined, type: String(record['#type']), properties, record };
    });
  const tagged = (tag: string): Received[] => received().filter((item) => item.properties.tag === tag);
  return {
    dp,
    bridge,
    server,
    browser,
    received,
    tagged,
    async waitForTagged(tag, count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (new Set(tagged(tag).map((item) => item.uuid)).size < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return tagged(tag);
    },
    async close() {
      await browser.close();
      await bridge.close();
      await server.close();
      await dp.stop();
    },
  };
}

/** How often each uuid arrived. */
export function countByUuid(items: readonly Received[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.uuid, (counts.get(item.uuid) ?? 0) + 1);
  return counts;
}

/** Uuids that arrived more than once. */
export function duplicates(items: readonly Received[]): string[] {
  return [...countByUuid(items)].filter(([, count]) => count > 1).map(([uuid]) => uuid);
}

/** The `properties.n` values seen, sorted, each once. */
export function indexes(items: readonly Received[]): number[] {
  return [...new Set(items.map((item) => Number(item.properties.n)))].sort((a, b) => a - b);
}

/** `[0, 1, ..., count - 1]`. */
export const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index);

/** The app page's URL with its options (`bridge` defaults to the stack's bridge). */
export function appUrl(stack: Stack, cfg: Record<string, unknown> = {}): string {
  return `${stack.server.url}/?cfg=${encodeURIComponent(JSON.stringify({ bridge: stack.bridge.url, ...cfg }))}`;
}
