import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { createBridge, type Bridge } from './handler.js';
import { createNodeFileSink } from './node-file-sink.js';
import { createNodeHttpTransport } from './node-http-transport.js';
import type { BridgeOptions } from './options.js';

const BASE_URL = 'http://bridge.localhost';

export interface BridgeServerOptions extends BridgeOptions {
  /** 0 picks a free port. Default 8787. */
  port?: number;
  /** Default 127.0.0.1: a bridge is exposed on purpose, never by accident. */
  host?: string;
  /** Embedded mode: keep records in this JSON-lines file (durably) instead of memory. */
  sinkFile?: string;
  /** Largest request head, bytes; beyond it Node answers 431 and closes. Default 16 KiB. */
  maxHeaderBytes?: number;
  /** How long `close()` lets requests in flight finish before cutting them, ms. Default 5,000. */
  closeGraceMs?: number;
}

export interface BridgeServer {
  /** `http://<host>:<port>` */
  readonly url: string;
  readonly port: number;
  readonly bridge: Bridge;
  /** Stops accepting, lets requests in flight finish (up to `closeGraceMs`), stops the bridge. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Serves a bridge over `node:http`: each IncomingMessage becomes a web `Request` (body streamed,
 * so the size cap stops reading early) with the socket's address as `ctx.remoteAddress`, and the
 * `Response` is written back. Malformed requests and oversized heads (a header flood) are
 * answered by Node's parser with 400/431 and the socket is closed, before any handler runs.
 * @example
 * const server = await startBridgeServer({ port: 0, dataproxy: ['http://127.0.0.1:46802'], streams: ['g/s'] });
 * console.log(`listening on ${server.url}`);
 * await server.close();
 */
export async function startBridgeServer(options: BridgeServerOptions = {}): Promise<BridgeServer> {
  const { port = 8787, host = '127.0.0.1', sinkFile, maxHeaderBytes = 16_384, closeGraceMs = 5000, ...bridgeOptions } = options;
  const fileSink = sinkFile !== undefined && !bridgeOptions.sink && !bridgeOptions.dataproxy?.length && !bridgeOptions.manager
    ? await createNodeFileSink({ path: sinkFile })
    : undefined;
  // Forwarding over node:http keep-alive sockets unless a transport was injected (tests, custom TLS).
  const transport = bridgeOptions.transport ? undefined : createNodeHttpTransport();
  const bridge = createBridge({ ...bridgeOptions, ...(fileSink ? { sink: fileSink } : {}), ...(transport ? { transport } : {}) });
  const sockets = new Set<Socket>();
  const server = createServer({ maxHeaderSize: maxHeaderBytes, requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    void serve(bridge, req, res, bridgeOptions.log);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const body = JSON.stringify({ code: String(status), msg: status === 431 ? 'request headers too large' : 'malformed HTTP request' });
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\ncontent-type: application/json;charset=utf-8\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    port: actualPort,
    bridge,
    close() {
      closing ??= (async () => {
        // Graceful: stop accepting, let requests in flight get their answer (DataProxy may
        // already hold their packs), close idle keep-alive sockets, and cut the rest after
        // `closeGraceMs`.
        const deadline = Date.now() + closeGraceMs;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          const sweep = () => {
            server.closeIdleConnections();
            if (sockets.size === 0) return;
            if (Date.now() >= deadline) for (const socket of sockets) socket.destroy();
            else setTimeout(sweep, 25).unref();
          };
          sweep();
        });
        await bridge.close();
        transport?.close();
      })();
      return closing;
    },
  };
}

async function serve(bridge: Bridge, req: IncomingMessage, res: ServerResponse, log?: (line: string) => void): Promise<void> {
  let response: Response;
  try {
    // No abort signal on purpose: a client that hangs up mid-forward does not cancel a pack
    // DataProxy may already hold; a body cut short fails the body read by itself.
    response = await bridge.fetch(toRequest(req), undefined, { remoteAddress: req.socket.remoteAddress });
  } catch (error) {
    // Only `toRequest` can throw here (a header value undici refuses); fetch itself never rejects.
    log?.(`unreadable request: ${error instanceof Error ? error.message : String(error)}`);
    response = new Response(JSON.stringify({ code: '400', msg: 'malformed HTTP request' }), { status: 400, headers: { 'content-type': 'application/json;charset=utf-8' } });
  }
  if (res.destroyed) return;
  const body = new Uint8Array(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // The handler may answer before reading the whole body (413, 403): close rather than let Node
  // drain megabytes it was told to refuse.
  if (!req.complete) headers.connection = 'close';
  headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
    headers.append(req.rawHeaders[index] ?? '', req.rawHeaders[index + 1] ?? '');
  }
  const method = req.method ?? 'GET';
  // The bridge routes on path and query only; a fixed origin keeps a hostile Host header from
  // breaking the URL.
  const target = req.url ?? '/';
  const url = URL.canParse(target, BASE_URL) ? new URL(target, BASE_URL).href : `${BASE_URL}/`;
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (hasBody) {
    // `duplex: 'half'` is what undici requires for a streamed request body.
    init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
    init.duplex = 'half';
  }
  return new Request(url, init);
}
