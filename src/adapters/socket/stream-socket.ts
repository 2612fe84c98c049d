import { NetworkError } from '../../core/errors/network-error.js';
import type { ByteSocket, SocketHandlers } from '../../core/types.js';

/**
 * A `ByteSocket` over a connection's web streams (Deno's `TcpConn`, Cloudflare's `Socket`):
 * reads until the peer ends, queues writes on one writer, and reports the end once. `release`
 * closes the underlying connection and must not throw.
 * @example const socket = streamSocket(conn, () => conn.close(), 'tcp://10.0.0.5:46801', handlers);
 */
export function streamSocket(streams: { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> }, release: () => void, where: string, handlers: SocketHandlers): ByteSocket {
  const writer = streams.writable.getWriter();
  let closed = false;
  const end = (error?: unknown): void => {
    if (closed) return;
    closed = true;
    release();
    handlers.onClose(error === undefined ? undefined : new NetworkError(`${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
  };
  void (async () => {
    const reader = streams.readable.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (value) handlers.onData(value);
      }
      end();
    } catch (error) {
      // A read that fails because we closed is the close we asked for, not an error.
      end(closed ? undefined : error);
    }
  })();
  return {
    write(bytes) {
      writer.write(bytes).catch((error: unknown) => end(error));
    },
    close: () => end(),
  };
}
