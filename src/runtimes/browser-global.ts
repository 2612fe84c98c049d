/**
 * The `<script>` build (`dist/inlong.global.js`): defines the global `InLong` and replays the
 * calls the loader snippet (`INLONG_SNIPPET`) queued before this script arrived. It sends with the
 * page's own fetch (adapters/transport/native-fetch.ts), not ky, to stay within its 12 KB budget. Unlike the ESM
 * entries, running this file is its whole point, so it does have that one side effect. It exports
 * nothing; its declarations (`dist/inlong.global.d.ts`) type the global for pages that load it.
 * @example
 * // <script src="https://unpkg.com/inlong-js/dist/inlong.global.js"></script>
 * // <script>InLong.init({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' }); InLong.track('view');</script>
 */
import { createNativeFetchTransport } from '../adapters/transport/native-fetch.js';
import { createInLong, type InLongRoot } from './browser/root.js';
import { replayQueue } from './browser/snippet.js';

declare global {
  /**
   * The `<script>` build's root (also `window.InLong`): the default instance's methods,
   * `init`, `initInstance` and `instance`. TypeScript sees it after
   * `/// <reference types="inlong-js/inlong.global.js" />` or `import 'inlong-js/inlong.global.js'`.
   * @example InLong.init({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' }).track('view');
   */
  // `var`: only a `var` declaration becomes a property of `globalThis` for the type checker.
  var InLong: InLongRoot;
}

interface Stub {
  _q?: unknown;
}

const scope = globalThis as { InLong?: InLongRoot | Stub };
const previous = scope.InLong as Stub | undefined;
const root: InLongRoot = previous && !Array.isArray(previous._q) ? (previous as InLongRoot) : createInLong(() => createNativeFetchTransport());
if (scope.InLong !== root) {
  scope.InLong = root;
  replayQueue(previous?._q, root);
}
