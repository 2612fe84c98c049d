import { copyFile } from 'node:fs/promises';
import { defineConfig, type Options } from 'tsup';

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

/**
 * The library builds, ESM and CommonJS alike. `dts.entry` adds the `<script>` build's types
 * (`dist/inlong.global.d.ts`/`.d.cts`: `InLong` on `globalThis`), whose code the IIFE build makes.
 */
const library: Options = {
  entry: entries,
  dts: { entry: { ...entries, 'inlong.global': 'src/runtimes/browser-global.ts' } },
  target: 'es2022',
  platform: 'neutral',
  splitting: true,
  treeshake: true,
  minify: false,
  external: [/^node:/],
  // Keep `node:` specifiers: bundlers for Workers cannot resolve a bare `fs/promises`.
  removeNodeProtocol: false,
};

export default defineConfig([
  { ...library, format: ['esm'], clean: true },
  {
    // `require()` on every Node that `engines` admits: 20.0–20.18 cannot require ES modules at
    // all, and CommonJS toolchains (Jest, ts-node in CJS mode) should not need a flag.
    ...library,
    format: ['cjs'],
    clean: false,
    // esbuild's own pass, then tsup rewrites each chunk to CommonJS: the lazy `import()` of a
    // route or of fflate becomes a `require()` inside a promise, which Jest's CommonJS runtime
    // also loads (it refuses a real `import()` without --experimental-vm-modules).
    treeshake: false,
    // src/cli.ts takes its own path from `__filename` there; `import.meta` in a .cjs file would be
    // a syntax error.
    define: { 'import.meta.url': 'undefined' },
    // ky ships ES modules only, so `require('ky')` in the lazily loaded route would throw on the
    // first batch on Node < 20.19. Its copy lives inside the route chunk; idb-keyval and fflate
    // have CommonJS builds of their own and stay dependencies.
    noExternal: ['ky'],
  },
  {
    // The `<script>` build: one file defining the global `InLong` (package.json `unpkg`/`jsdelivr`).
    // No `globalName`: the script exports nothing, so it carries no `exports` object that publint
    // would read as CommonJS inside a `.js` file of a `"type": "module"` package.
    entry: { 'inlong.global': 'src/runtimes/browser-global.ts' },
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    // The same bytes as `.cjs`, for `require('inlong-js/inlong.global.js')` (a Jest setup file)
    // on Node 20.0–20.18, where a `.js` file of this package is an ES module it cannot require.
    onSuccess: () => copyFile('dist/inlong.global.js', 'dist/inlong.global.cjs'),
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
