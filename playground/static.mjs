/**
 * The files the playground serves, and nothing else: the pages (`/`, `/playground/*`), the built
 * SDK (`/dist/*.js`) and the two dependencies of the ESM entry. `dist/browser.js` imports
 * `idb-keyval` and `ky` by their bare names (dependencies, not bundled), so the pages map those
 * names to `/vendor/...` with an import map — the way any page without a bundler loads an npm ESM
 * package. ky is several files importing each other, so its whole `distribution/` is served.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PLAYGROUND = fileURLToPath(new URL('.', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

// Only what a browser needs; the server's own `.mjs` files are not served.
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** `/vendor/<name>` → a file of an installed package, found the way Node resolves an import. */
const VENDOR = {
  '/vendor/idb-keyval.js': () => fileURLToPath(import.meta.resolve('idb-keyval')),
};
/** `/vendor/ky/<file>` → a file of ky's `distribution/`, where its entry and the modules it imports live. */
const KY = fileURLToPath(new URL('.', import.meta.resolve('ky')));

/**
 * A `Response` for a static path, or `undefined` when the path is not a file served here.
 * @example await serveFile('/dist/browser.js') // 200 text/javascript
 */
export async function serveFile(pathname) {
  if (pathname === '/favicon.ico') return new Response(null, { status: 204 });
  const path = locate(decodeURIComponent(pathname));
  const type = path && TYPES[extname(path)];
  if (!type) return undefined;
  try {
    return new Response(await readFile(path), { headers: { 'content-type': type, 'cache-control': 'no-store' } });
  } catch (error) {
    // A missing file is the bridge's 404 to give; anything else (permissions) is a real failure.
    if (error.code === 'ENOENT' || error.code === 'EISDIR') return undefined;
    throw error;
  }
}

function locate(pathname) {
  if (pathname === '/' || pathname === '/index.html') return resolve(PLAYGROUND, 'index.html');
  if (VENDOR[pathname]) return VENDOR[pathname]();
  if (pathname.startsWith('/vendor/ky/')) return inside(KY, pathname.slice('/vendor/ky/'.length));
  if (pathname.startsWith('/playground/')) return inside(PLAYGROUND, pathname.slice('/playground/'.length) || 'index.html');
  if (pathname.startsWith('/dist/')) return inside(DIST, pathname.slice('/dist/'.length));
  return undefined;
}

/** `relative` under `root`, or `undefined` when `..` would escape it. */
function inside(root, relative) {
  const target = resolve(root, relative);
  return target.startsWith(root.endsWith(sep) ? root : root + sep) ? target : undefined;
}
