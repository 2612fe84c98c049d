import type { SocketConnector } from '../../core/types.js';
import { createCloudflareSocket } from './cloudflare-sockets.js';
import { createDenoSocket, type DenoNet } from './deno-connect.js';
import { builtinNet, createNodeSocket } from './node-net.js';

/**
 * The runtime's TCP sockets, by feature: `Deno.connect`, then Node's `node:net` (through
 * `process.getBuiltinModule`), then Cloudflare's `connect()`, whose module is imported only when
 * the first connection opens (and fails there, as a `NetworkError`, in a runtime without it).
 * @example const connector = defaultSocketConnector(); connector.name // 'node-net' on Node
 */
export function defaultSocketConnector(): SocketConnector {
  const deno = (globalThis as { Deno?: Partial<DenoNet> }).Deno;
  if (typeof deno?.connect === 'function') return createDenoSocket({ deno: deno as DenoNet });
  const net = builtinNet();
  if (net) return createNodeSocket({ net });
  return createCloudflareSocket();
}
