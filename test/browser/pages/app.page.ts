/**
 * The page the delivery tests drive (bundled from the ESM entry, `inlong-js/browser`). Its
 * options come from the query string (`?cfg=<json>`), so a reload keeps them; tests drive it
 * through `window.__app`.
 */
import { createInLong, type BrowserClient, type BrowserEvent, type DropInfo, type InLongRoot } from '../../../src/runtimes/browser.js';

interface App {
  root: InLongRoot;
  client: BrowserClient;
  errors: string[];
  drops: DropInfo[];
  events: Array<BrowserEvent['type']>;
  /** Tracks `count` events `test_event` with `{ n, tag }` (n from `from`). */
  track(count: number, tag: string, from?: number): void;
  /** Reloads the page after the `acks`-th acknowledgement. */
  reloadAfterAcks(acks: number): void;
}

const cfg = JSON.parse(new URLSearchParams(location.search).get('cfg') ?? '{}') as Record<string, unknown>;
const errors: string[] = [];
const drops: DropInfo[] = [];
const events: Array<BrowserEvent['type']> = [];
const InLong = createInLong();
const client = InLong.init({
  serverUrl: String(cfg.bridge),
  groupId: 'g',
  streamId: 's',
  flushIntervalMs: 100,
  retryBaseMs: 200,
  retryMaxMs: 2000,
  ...cfg,
  onError: (error) => errors.push(String(error)),
  onDrop: (drop) => drops.push(drop),
});
let acks = 0;
let reloadAt = Infinity;
client.subscribe((event) => {
  events.push(event.type);
  if (event.type === 'ack' && ++acks === reloadAt) location.reload();
});

const app: App = {
  root: InLong,
  client,
  errors,
  drops,
  events,
  track(count, tag, from = 0) {
    for (let n = from; n < from + count; n++) client.track('test_event', { n, tag });
  },
  reloadAfterAcks(count) {
    reloadAt = count;
  },
};
(globalThis as { __app?: App }).__app = app;
