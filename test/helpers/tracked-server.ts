import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { Socket } from 'node:net';

/** A running `node:http` server whose sockets are tracked, so closing never waits on keep-alive. */
export interface TrackedServer {
  readonly server: Server;
  readonly port: number;
  /** Destroys every open socket and stops listening. Safe to call twice. */
  close(): Promise<void>;
  /** Listens again on the same port after `close()`. */
  reopen(): Promise<void>;
}

/**
 * Starts `handler` on 127.0.0.1 with a random free port and tracks its sockets.
 * @example const s = await startTrackedServer((req, res) => res.end('hi')); await s.close();
 */
export async function startTrackedServer(handler: RequestListener, maxHeaderSize = 65_536): Promise<TrackedServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ maxHeaderSize }, handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  const port = await listen(0);
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        // `close` reports ERR_SERVER_NOT_RUNNING on a second call; closing is still done.
        server.close(() => resolve());
      }),
    reopen: async () => {
      await listen(port);
    },
  };
}

