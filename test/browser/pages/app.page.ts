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
/**
 * `cfg.slowIndexedDbMs`: an IndexedDB whose `open` answers that much later, as on a busy machine.
 * The request handed back forwards the real one's events once it exists.
 */
function slowIndexedDb(delayMs: number): IDBFactory {
  const real = indexedDB;
  return new Proxy(real, {
    get(target, key) {
      if (key !== 'open') {
        const value: unknown = Reflect.get(target, key, target);
        // Methods of a host object need it as `this` (else "Illegal invocation").
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (name: string, version?: number) => {
        const request = new EventTarget() as IDBOpenDBRequest & Record<string, unknown>;
        setTimeout(() => {
          const inner = version === undefined ? real.open(name) : real.open(name, version);
          for (const type of ['success', 'error', 'upgradeneeded', 'blocked'] as const) {
            inner.addEventListener(type, (event) => {
              Object.defineProperty(request, 'result', { configurable: true, get: () => inner.result });
              Object.defineProperty(request, 'error', { configurable: true, get: () => inner.error });
              Object.defineProperty(request, 'transaction', { configurable: true, get: () => inner.transaction });
              const handler: unknown = request[`on${type}`];
              if (typeof handler === 'function') (handler as (event: Event) => void).call(request, event);
            });
          }
        }, delayMs);
        return request;
      };
    },
  });
}

const InLong = createInLong();
const client = InLong.init({
  serverUrl: String(cfg.bridge),
  groupId: 'g',
  streamId: 's',
  flushIntervalMs: 100,
  retryBaseMs: 200,
  retryMaxMs: 2000,
  ...cfg,
  ...(typeof cfg.slowIndexedDbMs === 'number' ? { globals: { indexedDB: slowIndexedDb(cfg.slowIndexedDbMs) } } : {}),
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
