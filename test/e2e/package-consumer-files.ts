/**
 * The scratch consumer's own files (test/e2e/package-consumer.test.ts): programs that load every
 * subpath, a CommonJS sender, and TypeScript projects for each module resolution a user may have.
 */
import { join } from 'node:path';
import { ROOT } from '../helpers/scratch-consumer.js';

/** Every subpath package.json exports (but `./package.json`), in its order. */
export const SUBPATHS = ['inlong-js', 'inlong-js/browser', 'inlong-js/worker', 'inlong-js/deno', 'inlong-js/node', 'inlong-js/bridge', 'inlong-js/cli', 'inlong-js/inlong.global.js'];

const LOAD = (how: string) => `
const loaded = {};
for (const subpath of ${JSON.stringify(SUBPATHS)}) {
  ${how}
  loaded[subpath] = { file: relative(process.cwd(), file), exports: Object.keys(module).sort() };
}
// The <script> build exports nothing: it defines the global.
console.log(JSON.stringify({ loaded, global: typeof globalThis.InLong?.init }));
`;

/** A file using each entry: real calls, and two that must not compile while the types are real. */
const USES = `import { BatchConsumer, InLongApi, SdkCode, TDAnalytics, isConfigError } from 'inlong-js';
import { InLong as BrowserInLong, createInLong } from 'inlong-js/browser';
import { withInLong } from 'inlong-js/worker';
import { LoggingConsumer as DenoLoggingConsumer } from 'inlong-js/deno';
import { LoggingConsumer, startBridgeServer } from 'inlong-js/node';
import { createBridge } from 'inlong-js/bridge';
import { CLI_HELP, parseCliArgs } from 'inlong-js/cli';
import 'inlong-js/inlong.global.js';

const api = new InLongApi();
const code: number = api.send('g', 's', 'line');
export const accepted: boolean = code === SdkCode.kSuccess;
// @ts-expect-error send() takes a group id string
api.send(1, 's', 'line');
const td = new TDAnalytics(new BatchConsumer({ dataproxyUrls: ['http://127.0.0.1:46802'], groupId: 'g', streamId: 's' }));
td.track({ distinctId: 'd-1', event: 'purchase', properties: { price: 9.99 } });
export const configError: boolean = isConfigError(new Error('x'));
BrowserInLong.init({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' }).track('view', { page: '/' });
export const root = createInLong();
export const worker = withInLong({ async fetch(_request, _env, _ctx, inlong) { inlong.track('hit'); return new Response('ok'); } });
export const denoLogs = new DenoLoggingConsumer({ directory: '/tmp/td' });
export const nodeLogs = new LoggingConsumer({ directory: '/tmp/td' });
export const serving: Promise<{ url: string }> = startBridgeServer({ port: 0 });
export const handled: Promise<Response> = createBridge({}).fetch(new Request('http://127.0.0.1/dataproxy/heartbeat'));
export const options = parseCliArgs(['bridge', '--port', '0']);
export const help: string = CLI_HELP;
globalThis.InLong.init({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' });
// @ts-expect-error the global's init takes options
InLong.init();
`;

/** A Node service: the server-side entries compile with Node's types alone, no DOM library. */
const SERVER = `import { BatchConsumer, InLongApi, TDAnalytics } from 'inlong-js';
import { LoggingConsumer, startBridgeServer } from 'inlong-js/node';
import { createBridge } from 'inlong-js/bridge';
import { parseCliArgs } from 'inlong-js/cli';

export const server: Promise<{ url: string; close(): Promise<void> }> = startBridgeServer({ port: 0, streams: ['g/s'] });
export const handled: Promise<Response> = createBridge({}).fetch(new Request('http://127.0.0.1/dataproxy/heartbeat'));
const td = new TDAnalytics(new LoggingConsumer({ directory: '/var/log/td' }));
td.track({ distinctId: 'd-1', event: 'login' });
export const code: number = new InLongApi().send('g', 's', 'line');
export const options = parseCliArgs(['bridge']);
// @ts-expect-error BatchConsumer needs its options
export const wrong = new BatchConsumer();
`;

/** A page script that only loads the <script> build: the types come from a reference, no import. */
const PAGE = `/// <reference types="inlong-js/inlong.global.js" />
InLong.init({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' }).track('page_view');
window.InLong.track('again', { n: 1 });
`;

const SEND = `const { BatchConsumer, InLongApi, TDAnalytics } = require('inlong-js');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const [bridgeUrl, dataproxyUrl] = process.argv.slice(2);

(async () => {
  // A config file path: initApi reads it with the lazily loaded config reader.
  const config = join(__dirname, 'inlong.json');
  writeFileSync(config, JSON.stringify({ 'init-param': { bridgeUrl, pack_timeout: 50 } }));
  const api = new InLongApi();
  const init = await api.initApi(config);
  const failed = [];
  const codes = [];
  for (let index = 0; index < 20; index++) codes.push(api.send('g_cjs', 's_cjs', 'cjs-line-' + index + ' ' + 'x'.repeat(60), (g, s, msg) => failed.push(msg)));
  await api.closeApi(10000);
  const errors = [];
  const td = new TDAnalytics(new BatchConsumer({ dataproxyUrls: [dataproxyUrl], groupId: 'g_td', streamId: 's_td' }), { onError: (error) => errors.push(String(error)) });
  td.track({ distinctId: 'd-cjs', event: 'from_cjs', properties: { n: 1 } });
  await td.close();
  console.log(JSON.stringify({ init, codes, failed, errors }));
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

const tsconfig = (options: Record<string, unknown>, files: string[]) =>
  `${JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        strict: true,
        // An import that resolves to nothing is an error, not a silent no-op.
        noUncheckedSideEffectImports: true,
        noEmit: true,
        // The package's own declarations are checked too, as a user's build would with this off.
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
        lib: ['ES2022', 'DOM'],
        ...options,
      },
      files,
    },
    null,
    2,
  )}\n`;

/** One process, both builds: two copies of each class, and the `isX` guards that work across them. */
const DUAL = `import { createRequire } from 'node:module';
const cjs = createRequire(import.meta.url)('inlong-js');
const esm = await import('inlong-js');
const error = new cjs.ConfigError('port', 'bad');
console.log(JSON.stringify({ sameClass: cjs.ConfigError === esm.ConfigError, instanceOf: error instanceof esm.ConfigError, guard: esm.isConfigError(error) }));
`;

/** Paths relative to the scratch project, and their text. */
export const CONSUMER_FILES: Record<string, string> = {
  'require-all.cjs': `const { relative } = require('node:path');\n${LOAD('const module = require(subpath); const file = require.resolve(subpath);')}`,
  'import-all.mjs': `import { relative } from 'node:path';\nimport { fileURLToPath } from 'node:url';\n${LOAD('const module = await import(subpath); const file = fileURLToPath(import.meta.resolve(subpath));')}`,
  'send.cjs': SEND,
  'dual.mjs': DUAL,
  'uses.ts': USES,
  'uses-esm.mts': USES,
  'uses-cjs.cts': USES,
  'page.ts': PAGE,
  'server.mts': SERVER,
  'server.cts': SERVER,
  // One project per module kind: the global's declarations come from .d.ts for ESM files and
  // from .d.cts for CommonJS ones, and either alone must be enough.
  'tsconfig.node16-esm.json': tsconfig({ module: 'node16', moduleResolution: 'node16' }, ['uses-esm.mts']),
  'tsconfig.node16-cjs.json': tsconfig({ module: 'node16', moduleResolution: 'node16' }, ['uses-cjs.cts']),
  'tsconfig.bundler.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler' }, ['uses.ts', 'page.ts']),
  'tsconfig.node10.json': tsconfig({ module: 'commonjs', moduleResolution: 'node10' }, ['uses.ts']),
  'tsconfig.server.json': tsconfig({ module: 'node16', moduleResolution: 'node16', lib: ['ES2022'] }, ['server.mts', 'server.cts']),
};
