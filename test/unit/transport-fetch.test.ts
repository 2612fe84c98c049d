import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFetchTransport } from '../../src/adapters/transport/fetch.js';
import { createNativeFetchTransport } from '../../src/adapters/transport/native-fetch.js';
import { NetworkError } from '../../src/core/errors/network-error.js';

interface Arrival {
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** Each path is one server behaviour; every request that reaches the server is recorded. */
const routes: Record<string, (res: ServerResponse, req: IncomingMessage) => void> = {
  '/ok': (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"code":"0"}'),
  '/too-large': (res) => res.writeHead(413).end(),
  '/busy-seconds': (res) => res.writeHead(503, { 'Retry-After': '7' }).end('busy'),
  '/busy-date': (res) =>
    res.writeHead(503, { 'Retry-After': new Date(Date.now() + 30_000).toUTCString() }).end('busy'),
  '/hang': () => undefined,
  '/stall-body': (res) => {
    res.writeHead(200, { 'Content-Length': '100' });
    res.write('partial');
  },
  '/reset': (_res, req) => req.socket.destroy(),
};

let server: Server;
let base: string;
const arrivals: Arrival[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      arrivals.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
      (routes[path] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  arrivals.length = 0;
});

const form = 'application/x-www-form-urlencoded';

async function rejection(promise: Promise<unknown>): Promise<NetworkError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NetworkError);
  return error as NetworkError;
}

// Both transports share one contract: ky for the ESM entries, the page's own fetch for the
// <script> build.
for (const [kind, transport] of [
  ['createFetchTransport (ky)', createFetchTransport()],
  ['createNativeFetchTransport', createNativeFetchTransport()],
] as const) {
const post = (path: string, timeoutMs = 2_000) =>
  transport.send({ url: base + path, headers: { 'Content-Type': form }, body: 'a=1', timeoutMs });

describe(kind, () => {
  it('puts a string form body on the wire byte for byte, with no ;charset suffix', async () => {
    const body = 'groupId=g1&streamId=s1&dt=1700000000000&cnt=2&body=%7B%22a%22%3A%22%C3%A9%22%7D%0A%7B%7D';
    const reply = await transport.send({ url: `${base}/ok`, headers: { 'Content-Type': form }, body, timeoutMs: 2_000 });
    expect(reply).toEqual({ status: 200, body: '{"code":"0"}' });
    expect(arrivals).toHaveLength(1);
    const [arrival] = arrivals;
    expect(arrival?.headers['content-type']).toBe(form);
    expect(arrival?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(arrival?.body.toString('latin1')).toBe(body);
  });

  it('sends Uint8Array gzip bytes unchanged, with the headers given', async () => {
    const bytes = new Uint8Array(gzipSync('{"#event_name":"view"}\n{"#event_name":"buy"}'));
    const headers = { 'Content-Type': form, 'Content-Encoding': 'gzip', 'X-Custom': 'yes' };
    await transport.send({ url: `${base}/ok`, headers, body: bytes, timeoutMs: 2_000, keepalive: true });
    const [arrival] = arrivals;
    expect(arrival?.headers['content-type']).toBe(form);
    expect(arrival?.headers['content-encoding']).toBe('gzip');
    expect(arrival?.headers['x-custom']).toBe('yes');
    expect(new Uint8Array(arrival?.body ?? [])).toEqual(bytes);
    expect(gunzipSync(arrival?.body ?? Buffer.alloc(0)).toString()).toContain('"buy"');
  });

  it('adds no Content-Type of its own when none is given', async () => {
    await transport.send({ url: `${base}/ok`, headers: {}, body: 'a=é', timeoutMs: 2_000 });
    const [arrival] = arrivals;
    // Left to fetch, a string body would be labelled text/plain;charset=UTF-8.
    expect(arrival?.headers['content-type']).toBeUndefined();
    expect(arrival?.body.toString('utf8')).toBe('a=é');
  });

  it('passes statuses through, with an empty body for 413', async () => {
    expect(await post('/too-large')).toEqual({ status: 413, body: '' });
  });

  it('parses Retry-After in seconds and as an HTTP date, without retrying itself', async () => {
    expect(await post('/busy-seconds')).toEqual({ status: 503, body: 'busy', retryAfterMs: 7_000 });
    const dated = await post('/busy-date');
    expect(dated.status).toBe(503);
    // The HTTP date has 1 s precision.
    expect(dated.retryAfterMs).toBeGreaterThan(28_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(arrivals).toHaveLength(2);
  });

  it('rejects with a timed-out NetworkError when no reply head arrives in time', async () => {
    const started = Date.now();
    const error = await rejection(post('/hang', 150));
    expect(error.timedOut).toBe(true);
    expect(error.code).toBe('NETWORK');
    expect(error.name).toBe('NetworkError');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(arrivals).toHaveLength(1);
  });

  it('bounds a body that stalls after the head by the same deadline', async () => {
    const error = await rejection(post('/stall-body', 150));
    expect(error.timedOut).toBe(true);
    expect(arrivals).toHaveLength(1);
  });

  it('rejects with a NetworkError when the server resets the connection, once', async () => {
    const error = await rejection(post('/reset'));
    expect(error.timedOut).toBe(false);
    expect(error.cause).toBeInstanceOf(Error);
    expect(arrivals).toHaveLength(1);
  });

  it('rejects with a NetworkError when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejection(
      transport.send({ url: `http://127.0.0.1:${port}/`, headers: {}, body: 'x', timeoutMs: 2_000 }),
    );
    expect(error.timedOut).toBe(false);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('uses an injected fetch and reports its failures as NetworkError', async () => {
    const seen: Request[] = [];
    const failing = createFetchTransport({
      fetch: async (input) => {
        if (input instanceof Request) seen.push(input);
        throw new DOMException('The operation was aborted.', 'AbortError');
      },
    });
    const error = await rejection(failing.send({ url: `${base}/ok`, headers: {}, body: 'x', timeoutMs: 1_000 }));
    expect(error.timedOut).toBe(false);
    expect(seen).toHaveLength(1);
    expect(failing.name).toBe('fetch');
  });
});
}
