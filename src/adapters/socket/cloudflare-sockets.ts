import { NetworkError } from '../../core/errors/network-error.js';
import type { SocketConnector } from '../../core/types.js';
import { streamSocket } from './stream-socket.js';

/** The part of a Cloudflare `Socket` this adapter uses. */
interface CloudflareSocket {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  readonly opened: Promise<unknown>;
  close(): Promise<void>;
}

/** `connect()` from `cloudflare:sockets`. */
export type CloudflareConnect = (address: { hostname: string; port: number }) => CloudflareSocket;

/**
 * The module name in a variable, so that bundlers for other targets (webpack, Vite) never try
 * to resolve a scheme they do not know; workerd resolves it at run time.
 */
const SOCKETS_MODULE = 'cloudflare:sockets';

/**
 * TCP sockets on Cloudflare Workers through `connect()` from `cloudflare:sockets`, imported on
 * the first connection: nothing is loaded where no tcp:// destination is used, and in any other
 * runtime the import fails there, as a `NetworkError` that says so.
 * @example const connector = createCloudflareSocket(); // in a Worker's request
 */
export function createCloudflareSocket(options: { connect?: CloudflareConnect } = {}): SocketConnector {
  let loading: Promise<CloudflareConnect> | undefined;
  const load = (): Promise<CloudflareConnect> => {
    if (options.connect) return Promise.resolve(options.connect);
    loading ??= (import(/* @vite-ignore */ SOCKETS_MODULE) as Promise<{ connect: CloudflareConnect }>).then(
      (module) => module.connect,
      (error: unknown) => {
        loading = undefined;
        throw new NetworkError(`no TCP sockets in this runtime (${SOCKETS_MODULE}: ${error instanceof Error ? error.message : String(error)})`, { cause: error });
      },
    );
    return loading;
  };
  return {
    name: 'cloudflare-sockets',
    // "Cannot perform I/O on behalf of a different request": a socket lives for its request.
    requestScoped: true,
    async connect({ host, port, timeoutMs }, handlers) {
      const connect = await load();
      const where = `tcp://${host}:${port}`;
      let socket: CloudflareSocket;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let timedOut = false;
      try {
        socket = connect({ hostname: host, port });
        await Promise.race([
          socket.opened,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              timedOut = true;
              reject(new Error(`no connection within ${timeoutMs} ms`));
            }, timeoutMs);
          }),
        ]);
      } catch (error) {
        throw new NetworkError(`connect ${where} failed: ${error instanceof Error ? error.message : String(error)}`, { timedOut, cause: error });
      } finally {
        clearTimeout(timer);
      }
      return streamSocket(socket, () => void socket.close().catch(alreadyGone), where, handlers);
    },
  };
}

/**
 * A socket being discarded failed to close: it is already gone (reset, or closed by the peer),
 * which is what closing wanted, and whoever needed to know heard through `onClose`.
 */
function alreadyGone(): void {
  return undefined;
}
