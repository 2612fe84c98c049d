import { defineConfig } from 'tsup';

/** One entry per public subpath; package.json's `exports` names the same files. */
export const entries = {
  index: 'src/index.ts',
  browser: 'src/runtimes/browser.ts',
  worker: 'src/runtimes/worker.ts',
  deno: 'src/runtimes/deno.ts',
  node: 'src/runtimes/node.ts',
  bridge: 'src/bridge/index.ts',
  cli: 'src/cli.ts',
};

export default defineConfig([
  {
    entry: entries,
    format: ['esm'],
    dts: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    splitting: true,
    treeshake: true,
    minify: false,
    external: [/^node:/],
    // Keep `node:` specifiers: bundlers for Workers cannot resolve a bare `fs/promises`.
    removeNodeProtocol: false,
  },
  {
    // The `<script>` build: one file exposing the global `InLong` (package.json `unpkg`/`jsdelivr`).
    entry: { 'inlong.global': 'src/runtimes/browser-global.ts' },
    format: ['iife'],
    globalName: 'InLongBundle',
    outExtension: () => ({ js: '.js' }),
    // es2022, as the ESM build: ky calls `Object.hasOwn` on every request, so the script already
    // needs an ES2022 runtime (Safari 15.4+); lowering ky's private class members for es2020 only
    // added about 640 B gzip of WeakMap helpers.
    target: 'es2022',
    platform: 'browser',
    minify: true,
    treeshake: true,
    dts: false,
    clean: false,
  },
]);
