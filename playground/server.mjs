/**
 * The playground server: one origin on 127.0.0.1 serving the pages, the built SDK and the bridge.
 * One origin because it is the simplest thing that is also honest: the page posts to the same
 * bridge handler a production deployment runs (`createBridge`), with nothing to configure (no
 * CORS list, no second port to print). The bridge's fetch handler is wrapped, not changed: static
 * files and `/playground/*` are answered here, message posts pass through the fault switches, and
 * everything else goes to the bridge untouched. Imports the built package, as a user would.
 */
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import { isAbsolute, relative } from 'node:path';
import { createBridge } from '../dist/bridge.js';
import { createNodeFileSink } from '../dist/cli.js';
import { createFaults } from './faults.mjs';
import { serveFile } from './static.mjs';

const BASE_URL = 'http://playground.localhost';
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Starts bridge (embedded file sink) + pages on `host:port`; `port` 0 picks a free one.
 * @example const server = await startPlayground({ port: 8787, sinkFile: '.inlong/playground-records.jsonl' });
 */
export async function startPlayground({ port, host = '127.0.0.1', sinkFile, log = () => {} }) {
  const fileSink = await createNodeFileSink({ path: sinkFile });
  // Records already in the file belong to earlier runs; the pages show this run's.
  const startSeq = await lastSeq(fileSink.path);
  const faults = createFaults();
  // Rate limit off: the page polls stats and records twice a second, and it is the only client.
  const bridge = createBridge({ sink: faults.wrapSink(fileSink), rateLimit: false, log });

  const handle = async (req) => {
    const request = await toRequest(req);
    const { pathname } = new URL(request.url);
    if (pathname === '/playground/info') {
      return json({ sink: displayPath(fileSink.path), startSeq, mode: bridge.mode, bridge: bridge.describe(), faults: faults.state() });
    }
    if (pathname === '/playground/faults') {
      if (request.method === 'GET') return json(faults.state());
      if (request.method !== 'POST') return json({ error: 'GET or POST' }, 405);
      try {
        const state = faults.set(await request.json());
        log(`faults: ${describeFaults(state)}`);
        return json(state);
      } catch (error) {
        return json({ error: error instanceof Error ? error.message : String(error) }, 400);
      }
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      const file = await serveFile(pathname);
      if (file) return file;
    }
    if (/^\/dataproxy\/message\/?$/.test(pathname) && request.method !== 'OPTIONS') {
      const fault = await faults.intercept();
      if (fault === 'drop') return 'drop';
      if (fault) return fault;
    }
    return bridge.fetch(request, undefined, { remoteAddress: req.socket.remoteAddress });
  };

  const server = createServer({ requestTimeout: 60_000 }, (req, res) => {
    // `drop` cuts the connection with no answer: to the page, a network error.
    handle(req)
      .then(
        (response) => (response === 'drop' ? req.socket.destroy() : write(res, response)),
        (error) => {
          log(`playground: ${error instanceof Error ? error.message : String(error)}`);
          return write(res, json({ error: 'internal error' }, 500));
        },
      )
      .catch(() => res.destroy());
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  let closing;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    bridge,
    sinkFile: fileSink.path,
    close() {
      closing ??= (async () => {
        // Chromium keeps connections alive; without this, close() waits for their idle timeout.
        await new Promise((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await bridge.close();
        await fileSink.close();
      })();
      return closing;
    },
  };
}

/** One line for the console, e.g. `offline, reply code1 (50%), slow 3000 ms`. */
export function describeFaults(state) {
  const parts = [];
  if (state.offline) parts.push('offline');
  if (state.reply !== 'off') parts.push(`reply ${state.reply}${state.rate < 1 ? ` (${Math.round(state.rate * 100)}%)` : ''}`);
  if (state.slowMs > 0) parts.push(`slow ${state.slowMs} ms`);
  if (state.sinkFull) parts.push('sink full');
  return parts.join(', ') || 'none';
}

/** The sink file relative to the working directory when it is inside it: shorter on screen. */
function displayPath(path) {
  const local = relative(process.cwd(), path);
  return local && !local.startsWith('..') && !isAbsolute(local) ? local : path;
}

function json(body, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

/**
 * The body is read whole before anything else: a slow fault must still hand the bridge the body
 * after the page gave up on the request (that is what makes a retry a duplicate to drop).
 */
async function toRequest(req) {
  const headers = new Headers();
  for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) headers.append(req.rawHeaders[index], req.rawHeaders[index + 1]);
  const method = req.method ?? 'GET';
  const init = { method, headers };
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
      chunks.push(chunk);
    }
    init.body = Buffer.concat(chunks);
  }
  const target = req.url ?? '/';
  return new Request(URL.canParse(target, BASE_URL) ? new URL(target, BASE_URL) : `${BASE_URL}/`, init);
}

async function write(res, response) {
  if (res.destroyed || res.headersSent) return void res.destroy();
  const body = Buffer.from(await response.arrayBuffer());
  const headers = Object.fromEntries(response.headers);
  headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

/** The highest `seq` in the sink file, read from its tail (the file may be large). */
async function lastSeq(path) {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    if (error.code === 'ENOENT') return 0;
    throw error;
  }
  try {
    const { size } = await file.stat();
    const length = Math.min(size, 256 * 1024);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').reverse();
    for (const line of lines) {
      try {
        const seq = JSON.parse(line).seq;
        if (Number.isInteger(seq)) return seq;
      } catch {
        // A torn last line (a crash mid-append) or the cut first line of the tail: try the next.
      }
    }
    return 0;
  } finally {
    await file.close();
  }
}
