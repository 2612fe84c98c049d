// One HTTP server on 127.0.0.1 for the whole run: the bench pages (cross-origin isolated), the
// SDKs' files, and a stand-in of every SDK's endpoint on the same origin, so no SDK pays for CORS
// that another does not. Each request is attributed to the SDK of the page that sent it (its
// `Referer`, `/page/<id>`), so a request that arrives late is never counted for the next page.
// inlong-js posts to the real bridge (`createBridge` from dist/bridge.js) with its embedded
// in-memory sink; the peers' stand-ins decode what arrives (bench/peers/decode.mjs) and count it.
// A request without a `Referer` (PostHog sends none) goes to the SDK whose round is running.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../track/config.mjs';
import { DECODERS } from './decode.mjs';
import { OUR_EVENTS } from './sdks.mjs';

/** Cross-origin isolation lifts Chromium's timer resolution from 100 µs to 5 µs. */
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

const freshCounts = () => ({ requests: 0, ours: 0, other: {}, unknown: {}, errors: {}, bytes: 0 });
const bump = (table, key, amount = 1) => (table[key] = (table[key] ?? 0) + amount);

function countEvents(counts, names) {
  for (const name of names) {
    if (OUR_EVENTS.has(name)) counts.ours++;
    else bump(counts.other, String(name));
  }
}

/** The real bridge in embedded mode, its sink wrapped to count the records it stores. */
async function startBridge(countsOf) {
  const { createBridge, createMemorySink } = await import(pathToFileURL(join(ROOT, 'dist/bridge.js')).href);
  const memory = createMemorySink({ maxRecords: 1_000 });
  const sink = {
    ...memory,
    async write(packs) {
      const names = packs.flatMap((pack) => pack.records.map((record) => JSON.parse(record)['#event_name'] ?? `(${JSON.parse(record)['#type']})`));
      countEvents(countsOf('inlong'), names);
      return memory.write(packs);
    },
  };
  return createBridge({ sink, rateLimit: false });
}

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Starts the server. `pages` maps an SDK id to its HTML, `files` a path to its bytes.
 * Returns `{ url, begin(id), counts(id), activity(), bridgeStats(), close() }`.
 */
export async function startStandIns({ pages, files }) {
  const countsById = new Map();
  const countsOf = (id) => {
    if (!countsById.has(id)) countsById.set(id, freshCounts());
    return countsById.get(id);
  };
  let bridge;
  let bridgeError;
  try {
    bridge = await startBridge(countsOf);
  } catch (error) {
    bridgeError = `dist/bridge.js not loadable (run \`npx tsup\`): ${error.message}`;
  }
  const activity = { inflight: 0, last: 0 };
  let origin = '';
  let current = 'none';
  const sdkOf = (request) => /^\/page\/([a-z]+)$/.exec(request.headers.referer ? new URL(request.headers.referer).pathname : '')?.[1] ?? current;

  async function answerSdk(id, request, response, url) {
    const body = await readBody(request);
    const counts = countsOf(id);
    counts.requests++;
    counts.bytes += body.length;
    if (id === 'inlong' && bridge) {
      const headers = new Headers();
      for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) headers.append(request.rawHeaders[i], request.rawHeaders[i + 1]);
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      const answer = await bridge.fetch(new Request(origin + request.url, { method: request.method, headers, body: hasBody ? body : undefined }), undefined, { remoteAddress: request.socket.remoteAddress });
      if (answer.status >= 400) bump(counts.errors, `${answer.status} ${url.pathname}`);
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      return response.end(Buffer.from(await answer.arrayBuffer()));
    }
    const decoded = DECODERS[id]?.(request.method, url.pathname, body, url.searchParams);
    if (decoded === undefined) {
      bump(counts.unknown, `${request.method} ${url.pathname}`);
      response.writeHead(404, { 'content-type': 'text/plain' });
      return response.end('not a stand-in endpoint');
    }
    countEvents(counts, decoded.events);
    response.writeHead(decoded.reply.status, { 'content-type': decoded.reply.type });
    response.end(decoded.reply.body);
  }

  async function handle(request, response) {
    const url = new URL(request.url, origin);
    const page = /^\/page\/([a-z]+)$/.exec(url.pathname)?.[1];
    if (request.method === 'GET' && page !== undefined && pages[page] !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...ISOLATION });
      return response.end(pages[page]);
    }
    if (request.method === 'GET' && files[url.pathname] !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', ...ISOLATION });
      return response.end(files[url.pathname]);
    }
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204);
      return response.end();
    }
    return answerSdk(sdkOf(request), request, response, url);
  }

  const server = createServer((request, response) => {
    activity.inflight++;
    activity.last = Date.now();
    response.on('close', () => {
      activity.inflight--;
      activity.last = Date.now();
    });
    handle(request, response).catch((error) => {
      // A stand-in that cannot read a body is a finding for the report, not a crash of the bench.
      bump(countsOf(sdkOf(request)).errors, `stand-in: ${error.message.split('\n')[0].slice(0, 80)}`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  return {
    url: origin,
    bridgeError,
    /** Forgets what `id`'s earlier pages delivered: the next round counts from zero. */
    begin: (id) => {
      current = id;
      countsById.set(id, freshCounts());
    },
    counts: countsOf,
    activity: () => ({ ...activity }),
    bridgeStats: () => bridge?.stats(),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await bridge?.close();
    },
  };
}
