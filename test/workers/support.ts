/**
 * Runs built inlong-js code inside workerd (miniflare's `Miniflare`): bundles a Worker module
 * the way wrangler would (esbuild, ESM, one file) with `inlong-js/*` mapped to `dist/`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { Miniflare } from 'miniflare';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = `${ROOT}dist/`;

/** Fails early with the fix when the package was not built (`npx tsup`). */
export function requireDist(...files: string[]): void {
  for (const file of files) {
    if (!existsSync(`${DIST}${file}`)) throw new Error(`dist/${file} is missing: run \`npx tsup\` before the workers tests`);
  }
}

/** Maps `inlong-js` and `inlong-js/<entry>` to the built files, as an installed package would. */
const distPackage: Plugin = {
  name: 'inlong-js-dist',
  setup(builder) {
    builder.onResolve({ filter: /^inlong-js(\/[a-z-]+)?$/ }, (args) => ({ path: `${DIST}${args.path === 'inlong-js' ? 'index' : args.path.slice('inlong-js/'.length)}.js` }));
  },
};

/**
 * One ESM module for workerd. `node:*` stays external only when `allowNode` says so: an entry
 * that needs none must bundle without it, as under wrangler without `nodejs_compat`.
 * `virtual` modules are importable as `virtual:<name>`.
 * @example const script = await bundle({ entry: 'examples/worker/worker.ts' });
 */
export async function bundle(input: { entry?: string; source?: string; allowNode?: boolean; virtual?: Record<string, string> }): Promise<string> {
  const virtual: Plugin = {
    name: 'virtual-modules',
    setup(builder) {
      builder.onResolve({ filter: /^virtual:/ }, (args) => ({ path: args.path, namespace: 'virtual' }));
      builder.onLoad({ filter: /.*/, namespace: 'virtual' }, (args) => ({ contents: input.virtual?.[args.path.slice('virtual:'.length)] ?? '', loader: 'js' }));
    },
  };
  const result = await build({
    ...(input.source !== undefined ? { stdin: { contents: input.source, resolveDir: ROOT, loader: 'ts' as const } } : { entryPoints: [`${ROOT}${input.entry ?? ''}`] }),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['worker', 'browser'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [distPackage, virtual],
    // tsup strips the `node:` prefix from the lazy imports, so bare builtin names count too.
    external: input.allowNode ? ['node:*', ...builtinModules] : [],
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error('esbuild produced no output');
  return file.text;
}

/** The subset of wrangler.toml the example uses: top-level strings, `compatibility_flags`, `[vars]`. */
export interface WranglerConfig {
  main: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  vars: Record<string, string>;
}

/**
 * Reads the example's wrangler.toml (a tiny parser for the keys above; commented lines skipped).
 * @example const config = readWranglerToml('examples/worker/wrangler.toml');
 */
export function readWranglerToml(path: string): WranglerConfig {
  const config: WranglerConfig = { main: '', compatibilityDate: '', compatibilityFlags: [], vars: {} };
  let section = '';
  for (const raw of readFileSync(`${ROOT}${path}`, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1] ?? '';
      continue;
    }
    const pair = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(line);
    if (!pair) continue;
    const [, key = '', value = ''] = pair;
    const parsed: unknown = JSON.parse(value.replace(/\s+#.*$/, ''));
    if (section === 'vars' && typeof parsed === 'string') config.vars[key] = parsed;
    if (section !== '') continue;
    if (key === 'main' && typeof parsed === 'string') config.main = parsed;
    if (key === 'compatibility_date' && typeof parsed === 'string') config.compatibilityDate = parsed;
    if (key === 'compatibility_flags' && Array.isArray(parsed)) config.compatibilityFlags = parsed.map(String);
  }
  return config;
}

/**
 * Starts workerd with one module Worker. The module is passed as a list entry, not `script`,
 * because miniflare's import scanner rejects a string script with any `import()` in it.
 * @example const mf = startWorker({ script, bindings: { INLONG_DATAPROXY_URLS: dp.url } });
 */
export function startWorker(input: { script: string; bindings?: Record<string, string>; compatibilityDate?: string; compatibilityFlags?: string[] }): Miniflare {
  return new Miniflare({
    modules: [{ type: 'ESModule', path: 'worker.mjs', contents: input.script }],
    compatibilityDate: input.compatibilityDate ?? '2024-09-23',
    compatibilityFlags: input.compatibilityFlags ?? [],
    bindings: input.bindings ?? {},
  });
}

/** Polls `check` every 10 ms until true; rejects with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
