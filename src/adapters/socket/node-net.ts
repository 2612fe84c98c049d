import { ConfigError } from '../../core/errors/config-error.js';
import { NetworkError } from '../../core/errors/network-error.js';
import type { ByteSocket, SocketConnector } from '../../core/types.js';

/** The part of a `node:net` socket this adapter uses. */
interface NetSocket {
  setNoDelay(noDelay?: boolean): unknown;
  write(data: Uint8Array): boolean;
  destroy(error?: Error): unknown;
  ref(): unknown;
  unref(): unknown;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close' | 'end', listener: () => void): unknown;
  once(event: 'connect', listener: () => void): unknown;
}

/** The part of `node:net` this adapter calls. */
export interface NetModule {
  connect(options: { host: string; port: number }): NetSocket;
}

interface ProcessWithBuiltins {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * The running Node's (20.16+) own `node:net`, found through `process.getBuiltinModule`: no
 * `import` for a browser or Workers bundler to trip over. `undefined` where there is none.
 * @example const net = builtinNet(); if (net) createNodeSocket({ net });
 */
export function builtinNet(): NetModule | undefined {
  const process = (globalThis as { process?: ProcessWithBuiltins }).process;
  const net = typeof process?.getBuiltinModule === 'function' ? (process.getBuiltinModule('node:net') as NetModule | undefined) : undefined;
  return typeof net?.connect === 'function' ? net : undefined;
}

/**
 * TCP sockets over `node:net`, Nagle off (acks and small frames must not wait 40 ms). An idle
 * socket is `unref`'d so a pooled connection never keeps a process alive.
 * @example const connector = createNodeSocket({ net: await import('node:net') });
 */
export function createNodeSocket(options: { net?: NetModule } = {}): SocketConnector {
  const net = options.net ?? builtinNet();
  if (!net) throw new ConfigError('socket', 'node:net is not available in this runtime; pass a SocketConnector');
  return {
    name: 'node-net',
    connect({ host, port, timeoutMs }, handlers) {
      return new Promise((resolve, reject) => {
        const socket = net.connect({ host, port });
        socket.setNoDelay(true);
        let connected = false;
        let closedByUs = false;
        let timedOut = false;
        let lastError: Error | undefined;
        const timer = setTimeout(() => {
          timedOut = true;
          socket.destroy(new Error(`no connection within ${timeoutMs} ms`));
        }, timeoutMs);
        socket.on('error', (error) => {
          lastError = error;
        });
        socket.on('data', (chunk) => handlers.onData(chunk));
        // The peer closed: writing on would draw a RST, which throws away acks not read yet.
        socket.on('end', () => socket.destroy());
        socket.on('close', () => {
          clearTimeout(timer);
          const what = lastError?.message ?? 'closed';
          if (!connected) return reject(new NetworkError(`connect tcp://${host}:${port} failed: ${what}`, { timedOut, cause: lastError }));
          if (closedByUs) return handlers.onClose();
          handlers.onClose(lastError ? new NetworkError(`tcp://${host}:${port}: ${what}`, { cause: lastError }) : undefined);
        });
        socket.once('connect', () => {
          connected = true;
          clearTimeout(timer);
          const wrapped: ByteSocket = {
            write: (bytes) => void socket.write(bytes),
            close() {
              closedByUs = true;
              socket.destroy();
            },
            setActive: (active) => void (active ? socket.ref() : socket.unref()),
          };
          resolve(wrapped);
        });
      });
    },
  };
}
