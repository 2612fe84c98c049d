import { ConfigError } from '../../core/errors/config-error.js';
import { NetworkError } from '../../core/errors/network-error.js';
import type { ByteSocket, SocketConnector, SocketHandlers } from '../../core/types.js';
import { streamSocket } from './stream-socket.js';

/** The part of a `Deno.TcpConn` this adapter uses. */
interface DenoConn {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  close(): void;
  ref(): void;
  unref(): void;
  setNoDelay?(noDelay?: boolean): void;
}

/** The part of the `Deno` namespace this adapter calls. */
export interface DenoNet {
  connect(options: { hostname: string; port: number; transport?: 'tcp' }): Promise<DenoConn>;
}

/**
 * TCP sockets over `Deno.connect` (run with `--allow-net`), Nagle off, idle sockets `unref`'d.
 * @example const connector = createDenoSocket(); // uses globalThis.Deno
 */
export function createDenoSocket(options: { deno?: DenoNet } = {}): SocketConnector {
  const deno = options.deno ?? (globalThis as { Deno?: DenoNet }).Deno;
  if (typeof deno?.connect !== 'function') throw new ConfigError('socket', 'Deno.connect is not available in this runtime; pass a SocketConnector');
  return {
    name: 'deno-connect',
    async connect({ host, port, timeoutMs }, handlers) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let timedOut = false;
      const opening = deno.connect({ hostname: host, port, transport: 'tcp' });
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new Error(`no connection within ${timeoutMs} ms`));
        }, timeoutMs);
      });
      let conn: DenoConn;
      try {
        conn = await Promise.race([opening, deadline]);
      } catch (error) {
        // A connection that completes after the deadline is closed, not leaked.
        if (timedOut) void opening.then((late) => late.close(), lateFailure);
        throw new NetworkError(`connect tcp://${host}:${port} failed: ${error instanceof Error ? error.message : String(error)}`, { timedOut, cause: error });
      } finally {
        clearTimeout(timer);
      }
      return wrap(conn, `tcp://${host}:${port}`, handlers);
    },
  };
}

function wrap(conn: DenoConn, where: string, handlers: SocketHandlers): ByteSocket {
  conn.setNoDelay?.(true);
  const release = (): void => {
    try {
      conn.close();
    } catch (error) {
      // Already closed by the peer (BadResource): the close we wanted has happened.
      if (!(error instanceof Error)) throw error;
    }
  };
  return { ...streamSocket(conn, release, where, handlers), setActive: (active) => (active ? conn.ref() : conn.unref()) };
}

/** A connect that failed after its deadline: the caller was already told it timed out. */
function lateFailure(): void {
  return undefined;
}
