import type { BrowserGlobals } from './options.js';

/** What the page tells the client about itself. */
export interface LifecycleHandlers {
  /** `pagehide`, or the page became hidden (the last event mobile browsers reliably fire). */
  exit(): void;
  visible(): void;
  online(): void;
  offline(): void;
}

/**
 * Listens for page exit and network changes; returns the function that stops listening.
 * Nothing is listened for until a client exists (importing the entry adds no listeners).
 * Listeners are removed through an `AbortSignal` (browsers before 2021 ignore it and keep them,
 * which only matters after `close()`).
 * @example const stop = watchLifecycle({}, { exit, visible, online, offline });
 */
export function watchLifecycle(globals: BrowserGlobals, handlers: LifecycleHandlers): () => void {
  const target: EventTarget | undefined = globals.eventTarget ?? globalThis;
  const doc = globals.document ?? globalThis.document;
  const controller = new AbortController();
  const options = { signal: controller.signal };
  target?.addEventListener?.('pagehide', handlers.exit, options);
  target?.addEventListener?.('online', handlers.online, options);
  target?.addEventListener?.('offline', handlers.offline, options);
  doc?.addEventListener?.('visibilitychange', () => (doc.visibilityState === 'hidden' ? handlers.exit() : handlers.visible()), options);
  return () => controller.abort();
}
