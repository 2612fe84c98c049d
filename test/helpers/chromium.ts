/**
 * The browser harness every test in test/browser uses: launch the system Chromium, serve pages
 * and bundles from 127.0.0.1, bundle TypeScript for the page with esbuild. Runs in Node (the
 * vitest 'browser' project); the page code runs in Chromium. Close what you open in `afterAll`.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core';

/** Flags for a quiet, reproducible headless Chromium in a container (no sandbox, no GPU, no phoning home). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium from /usr/bin/chromium (override with `CHROMIUM_PATH`).
 *
 * @example
 * const browser = await launchChromium();
 * afterAll(() => browser.close());
 */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}

export type StaticBody = string | Uint8Array;
/** A file's content, or a function producing it per request (for bundles built on demand). */
export type StaticFile = StaticBody | (() => StaticBody | Promise<StaticBody>);
/** A web-standard handler, as the bridge's `fetch`: gets a `Request`, returns a `Response`. */
export type RouteHandler = (request: Request) => Response | Promise<Response>;

export interface ServeStaticOptions {
  /** Directory served for paths that match no route and no file. */
  root?: string;
  /** Exact path → content, e.g. `{ '/index.html': html, '/page.js': bundle }`. `/` serves `/index.html`. */
  files?: Record<string, StaticFile>;
  /** Path → handler; a key ending in `*` matches by prefix (`'/bridge/*'`). Checked before files. */
  routes?: Record<string, RouteHandler>;
}

export interface RecordedRequest {
  method: string;
  /** Path and query string, as the browser sent them. */
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface StaticServer {
  /** Origin without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Every request received, in order (assets included), with its body. */
  requests: RecordedRequest[];
  /** Stops listening and drops kept-alive connections, so the test process can exit. */
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * Serves pages, bundles and fetch-style routes on 127.0.0.1 at a free port. A real http origin
 * matters: localStorage and IndexedDB throw on `about:blank` and `data:` pages.
 *
 * @example
 * const server = await serveStatic({
 *   files: { '/index.html': htmlPage(['/page.js']), '/page.js': await bundleForBrowser(entry) },
 *   routes: { '/bridge/*': (request) => new Response('{"code":"0"}') },
 * });
 * await page.goto(`${server.url}/`);
 * afterAll(() => server.close());
 */
export async function serveStatic(options: ServeStaticOptions = {}): Promise<StaticServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A handler bug must show up as a 500 in the page and in the test log, not hang the request.
      console.error('serveStatic handler failed:', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  let origin = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = new Uint8Array(Buffer.concat(chunks));
    const url = req.url ?? '/';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    requests.push({ method: req.method ?? 'GET', url, headers, body });
    const path = decodeURIComponent(new URL(url, origin).pathname);

    const route = findRoute(options.routes ?? {}, path);
    if (route !== undefined) {
      const method = req.method ?? 'GET';
      const hasBody = method !== 'GET' && method !== 'HEAD';
      const response = await route(new Request(origin + url, { method, headers, body: hasBody ? body : undefined }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
      return;
    }
    const file = options.files?.[path] ?? (path === '/' ? options.files?.['/index.html'] : undefined);
    const content = file !== undefined ? await (typeof file === 'function' ? file() : file) : await fromRoot(path);
    if (content === undefined && path === '/favicon.ico') {
      // Chromium asks for it on every page; a 404 would show up as a console error in every test.
      res.writeHead(204);
      res.end();
      return;
    }
    if (content === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`not found: ${path}`);
      return;
    }
    const type = CONTENT_TYPES[extname(path === '/' ? '/index.html' : path)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(typeof content === 'string' ? content : Buffer.from(content));
  }

  async function fromRoot(path: string): Promise<Uint8Array | undefined> {
    if (options.root === undefined) return undefined;
    const root = resolve(options.root);
    const target = resolve(root, `.${path === '/' ? '/index.html' : path}`);
    if (!target.startsWith(root + sep)) return undefined; // `..` escaping the root
    try {
      return await readFile(target);
    } catch (error) {
      // A missing file is a 404; anything else (permissions) is a real failure.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw error;
    }
  }

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    port,
    requests,
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        // Chromium keeps connections alive; without this, close() waits for their idle timeout.
        server.closeAllConnections();
        server.close((error) => (error ? rejectClose(error) : resolveClose()));
      }),
  };
}

function findRoute(routes: Record<string, RouteHandler>, path: string): RouteHandler | undefined {
  const exact = routes[path];
  if (exact !== undefined) return exact;
  for (const [pattern, handler] of Object.entries(routes)) {
    if (pattern.endsWith('*') && path.startsWith(pattern.slice(0, -1))) return handler;
  }
  return undefined;
}

export interface BundleOptions {
  /** `'iife'` (default) for a classic `<script>`, `'esm'` for `<script type="module">`. */
  format?: 'iife' | 'esm';
  /** For IIFE: expose the entry's exports as this global (e.g. `'InLong'`). */
  globalName?: string;
  /** Compile-time constants, as esbuild's `define`. */
  define?: Record<string, string>;
  minify?: boolean;
  /** Inline a source map, for reading page stack traces. Default false. */
  sourcemap?: boolean;
}

/**
 * Bundles a TypeScript entry (and everything it imports, including src/ and idb-keyval) into one
 * script for the page, in memory.
 *
 * @example
 * const script = await bundleForBrowser(fileURLToPath(new URL('./pages/x.page.ts', import.meta.url)));
 */
export async function bundleForBrowser(entryFile: string, options: BundleOptions = {}): Promise<string> {
  const result = await build({
    entryPoints: [entryFile],
    bundle: true,
    write: false,
    format: options.format ?? 'iife',
    globalName: options.globalName,
    platform: 'browser',
    target: 'es2022',
    define: options.define,
    minify: options.minify ?? false,
    sourcemap: options.sourcemap ? 'inline' : false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`esbuild produced no output for ${entryFile}`);
  return output.text;
}

/**
 * A minimal HTML page loading the given scripts in order.
 *
 * @example
 * htmlPage(['/page.js'], { module: true });
 */
export function htmlPage(scripts: string[], options: { module?: boolean; body?: string } = {}): string {
  const type = options.module ? ' type="module"' : '';
  const tags = scripts.map((src) => `<script${type} src="${src}"></script>`).join('\n');
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>inlong-js test</title></head>\n<body>${options.body ?? ''}\n${tags}\n</body></html>\n`;
}

/**
 * Collects uncaught page errors and `console.error` lines, so a test can assert the page stayed
 * clean and show what went wrong when it did not.
 *
 * @example
 * const errors = collectPageErrors(page);
 * // ... drive the page ...
 * expect(errors).toEqual([]);
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  return errors;
}
