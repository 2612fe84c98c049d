import { createSystemClock } from '../../adapters/clock/system-clock.js';
import { createLocalStorage } from '../../adapters/storage/local-storage.js';
import { createBeaconTransport } from '../../adapters/transport/beacon.js';
import { createBatcher } from '../../core/batcher.js';
import { createDelivery } from '../../core/delivery.js';
import type { Transport } from '../../core/types.js';
import { utf8Length } from '../../core/utf8.js';
import { createBrowserEndpoint } from './browser-endpoint.js';
import { createDurableOutbox } from './durable-outbox.js';
import { watchLifecycle } from './lifecycle.js';
import { createPageExit } from './page-exit.js';
import type { DropInfo, ResolvedOptions } from './options.js';
import type { BrowserEvent, BrowserRuntime, BrowserStats } from './types.js';
import { createStorageLease, createWebLock } from './tab-lock.js';
import { chooseStorage } from './storage-choice.js';
import { createNativeGzip, createWire } from './wire.js';

/**
 * Wires the core pipeline to the browser: outbox in IndexedDB/localStorage (shared by tabs),
 * compressed bodies, beacons on exit, pause while offline, never-ending retries.
 * @example const runtime = createBrowserRuntime(resolveOptions({ serverUrl, groupId, streamId }), onError, localStorage);
 */
export function createBrowserRuntime(options: ResolvedOptions & { transport: Transport }, onError: (error: unknown) => void, local: Storage | undefined): BrowserRuntime {
  const clock = options.clock ?? createSystemClock();
  const { globals, name, serverUrl: url, requestTimeoutMs: timeoutMs } = options;
  const nav = globals.navigator ?? globalThis.navigator;
  const listeners = new Set<(event: BrowserEvent) => void>();
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`inlong-js:${name}`) : undefined;
  const stats = { tracked: 0, acked: 0, retried: 0, failed: 0, dropped: 0, beaconed: 0, bytesRaw: 0, bytesSent: 0, storage: 'probing', online: nav?.onLine !== false };
  // Subscribers and hooks are page code: one that throws must not break delivery.
  const emit = (event: BrowserEvent): void => {
    for (const listener of [...listeners, event.type === 'drop' ? () => options.onDrop?.(event.drop) : undefined]) {
      try {
        listener?.(event);
      } catch (error) {
        onError(error);
      }
    }
  };
  const drop = (info: DropInfo): void => {
    stats.dropped += info.records;
    emit({ type: 'drop', drop: info });
  };
  const storage = chooseStorage(options, local);
  storage.then((chosen) => (stats.storage = chosen?.name ?? 'memory'), onError);
  const locks = options.webLocks ? nav?.locks : undefined;
  const compressor = options.compressor === undefined ? createNativeGzip() : (options.compressor ?? undefined);
  const wire = createWire({ compressor: options.compress ? compressor : undefined, minZipBytes: 512, writeKey: options.writeKey });
  const wake = (): void => delivery.kick();
  const outbox = createDurableOutbox({
    storage,
    journal: local && createLocalStorage({ storage: local }),
    lock: typeof locks?.request === 'function' ? createWebLock(locks, `inlong-js:${name}:`) : createStorageLease(() => storage, { owner: clock.uuid(), clock, leaseMs: options.leaseMs, prefix: `${name}:l:` }),
    prefix: `${name}:p:`,
    maxBytes: options.maxBytes,
    overflow: options.overflow,
    onDrop: drop,
    onError,
    onAdd: wire.prepare,
    onForget: wire.forget,
    onWake: wake,
  });
  const { transport } = options;
  const endpoint = createBrowserEndpoint({
    transport,
    url,
    timeoutMs,
    wire,
    onSent(body) {
      stats.bytesRaw += body.raw;
      stats.bytesSent += body.bytes;
    },
  });
  // The core's batcher and delivery loop, without the pipeline's C++ result codes and buffer
  // limit: in a browser the outbox's own bound (drop oldest) governs, and retries never end.
  const delivery = createDelivery({
    clock,
    outbox,
    endpoint,
    retries: Infinity,
    backoff: { baseMs: options.retryBaseMs, maxMs: options.retryMaxMs },
    concurrency: options.concurrency,
    onEvent(event) {
      if (event.type === 'ack') {
        stats.acked += event.pack.records.length;
        // Other tabs may hold this pack in their index (found by a scan): tell them it is gone,
        // so their page exit does not send it again.
        channel?.postMessage([event.pack.id]);
      }
      if (event.type === 'retry') stats.retried++;
      if (event.type === 'fail') stats.failed += event.pack.records.length;
      if (event.type === 'fail' || event.type === 'error') onError(event.error);
      emit(event);
    },
  });
  const puts = new Set<Promise<void>>();
  let discarding = false;
  const batcher = createBatcher({
    clock,
    packCount: options.batchSize,
    packBytes: options.batchBytes,
    packTimeoutMs: options.flushIntervalMs,
    onPack(pack) {
      // Opt-out closes open packs into a closed door.
      if (discarding) return;
      const put: Promise<void> = outbox.put({ ...pack, notBefore: 0 }).then(wake, onError).finally(() => puts.delete(put));
      puts.add(put);
    },
  });
  // Closes open packs: they reach the outbox synchronously (page exit relies on it).
  const closePacks = (): Promise<unknown> => {
    batcher.flush();
    return Promise.all(puts);
  };

  const pageExit = createPageExit({
    url,
    packs: outbox.packs,
    wire,
    keptAlive: endpoint.keptAlive,
    beacon: options.beacon === undefined ? createBeaconTransport() : (options.beacon ?? undefined),
    transport,
    budgetBytes: options.exitBudgetBytes,
    copies: options.exitCopies,
    timeoutMs,
    onSent(pack, bytes) {
      stats.beaconed += pack.records.length;
      emit({ type: 'beacon', records: pack.records.length, bytes });
    },
  });
  const rescan = (): void => void outbox.scan().catch(onError);
  // Offline: nothing is attempted (each attempt would fail); back online, everything is due now.
  const setOnline = (online: boolean) => (): void => {
    stats.online = online;
    outbox.setPaused(!online);
  };
  if (!stats.online) outbox.setPaused(true);
  const exit = (): void => {
    // Closing open packs puts them into the outbox synchronously; the journal then covers the
    // storage write that may not finish before the page is gone.
    void closePacks();
    outbox.journal();
    pageExit.send();
    channel?.postMessage('exit');
  };
  const stopWatching = watchLifecycle(globals, { exit, visible: pageExit.visible, online: setOnline(true), offline: setOnline(false) });
  if (channel) {
    channel.onmessage = ({ data }: MessageEvent<unknown>) => {
      if (Array.isArray(data)) outbox.delivered(data.map(String));
      // Another tab went away: its leftovers are ours once its locks are gone.
      else clock.setTimeout(rescan, 1000);
    };
  }
  let timer: unknown;
  let scans = 0;
  const tick = (): void => {
    rescan();
    // The second look comes soon: a tab that just closed may still be writing its last packs or
    // holding their locks when this one starts.
    timer = clock.setTimeout(tick, ++scans === 1 ? Math.min(3000, options.rescanMs) : options.rescanMs, { background: true });
  };
  tick();

  return {
    enqueue(record) {
      const bytes = utf8Length(record);
      if (bytes > options.batchBytes) {
        drop({ reason: 'rejected', records: 1 });
        return false;
      }
      batcher.add(options.groupId, options.streamId, record, clock.now(), undefined, undefined, bytes);
      stats.tracked++;
      return true;
    },
    async flush() {
      await closePacks();
      await delivery.idle();
    },
    stats: (): BrowserStats => ({ ...stats, queued: outbox.size().records, queuedBytes: outbox.size().bytes, buffered: batcher.size().records, inFlight: delivery.inFlight() }),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async clear() {
      discarding = true;
      batcher.flush();
      discarding = false;
      await outbox.takeAll();
    },
    async close() {
      stopWatching();
      clock.clearTimeout(timer);
      channel?.close();
      batcher.stop();
      delivery.stop();
    },
  };
}
