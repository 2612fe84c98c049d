/**
 * The `<script>` build (`dist/inlong.global.js`): defines the global `InLong` and replays the
 * calls the loader snippet (`INLONG_SNIPPET`) queued before this script arrived. It sends with the
 * page's own fetch (adapters/transport/native-fetch.ts), not ky, to stay within its 12 KB budget. Unlike the ESM
 * entries, running this file is its whole point, so it does have that one side effect.
 * @example
 * // <script src="https://unpkg.com/inlong-js/dist/inlong.global.js"></script>
 * // <script>InLong.init({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' }); InLong.track('view');</script>
 */
import { createNativeFetchTransport } from '../adapters/transport/native-fetch.js';
import { createInLong, type InLongRoot } from './browser/root.js';
import { replayQueue } from './browser/snippet.js';

interface Stub {
  _q?: unknown;
}

const scope = globalThis as { InLong?: InLongRoot | Stub };
const previous = scope.InLong as Stub | undefined;

/**
 * The global root, also the IIFE's return value (`InLongBundle.InLong`).
 * @example window.InLong === InLongBundle.InLong // true
 */
export const InLong: InLongRoot = previous && !Array.isArray(previous._q) ? (previous as InLongRoot) : createInLong(() => createNativeFetchTransport());
if (scope.InLong !== InLong) {
  scope.InLong = InLong;
  replayQueue(previous?._q, InLong);
}
