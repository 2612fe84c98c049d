import { backoffDelay, type BackoffOptions } from '../../core/backoff.js';
import type { Clock, SocketConnector } from '../../core/types.js';
import { createTcpConnection, type FrameResult, type TcpConnection } from './connection.js';

export interface TcpPoolOptions {
  clock: Clock;
  connector: SocketConnector;
  connectTimeoutMs: number;
  /** Frames awaiting their ack per connection. */
  window: number;
  heartbeatMs: number;
  idleMs: number;
  /** Waits between connection attempts to a node that refused the last one. */
  reconnect: BackoffOptions;
  /** A connection ended with an error (reset, garbage, silence): for logs. */
  onError?: (error: Error, node: string) => void;
}

export interface TcpPool {
  /** Sends one frame to `node` (`tcp://host:port`) on its persistent connection, opened on demand. Never rejects. */
  send(node: string, uniq: number, frame: Uint8Array, timeoutMs: number): Promise<FrameResult>;
  /** Open connections. */
  size(): number;
  /** Closes every connection; frames still waiting resolve `lost`. */
  close(): void;
}

interface NodeState {
  host: string;
  port: number;
  connection?: TcpConnection;
  opening?: Promise<TcpConnection | FrameResult>;
  failures: number;
  retryAt: number;
}

/**
 * One persistent connection per DataProxy node, opened when a frame first goes there and again
 * after it closed. A node that refused a connection is tried again only after a backoff (which
 * grows with each refusal, as the C++ SDK's `min(retries × 200, 3000)` ms), so an outage costs
 * a connect attempt per backoff, not one per frame.
 * @example const pool = createTcpPool({ clock, connector, connectTimeoutMs: 3000, window: 32, heartbeatMs: 60_000, idleMs: 600_000, reconnect: { baseMs: 200, maxMs: 3000 } });
 */
export function createTcpPool(options: TcpPoolOptions): TcpPool {
  const { clock } = options;
  const nodes = new Map<string, NodeState>();
  const sleepers = new Set<() => void>();
  let closed = false;

  const state = (node: string): NodeState => {
    let known = nodes.get(node);
    if (!known) {
      const url = new URL(node);
      known = { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port), failures: 0, retryAt: 0 };
      nodes.set(node, known);
    }
    return known;
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const wake = (): void => {
        sleepers.delete(wake);
        clock.clearTimeout(timer);
        resolve();
      };
      const timer = clock.setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const lost = (node: string, message: string, timedOut = false): FrameResult => ({ kind: 'lost', timedOut, written: false, message: `${node}: ${message}` });

  const open = async (node: string, entry: NodeState, timeoutMs: number): Promise<TcpConnection | FrameResult> => {
    const wait = entry.retryAt - clock.now();
    if (wait >= timeoutMs) return lost(node, `reconnecting after ${entry.failures} refused connection(s); next attempt in ${wait} ms`, true);
    if (wait > 0) await sleep(wait);
    if (closed) return lost(node, 'closed');
    const connection: TcpConnection = createTcpConnection({
      ...options,
      host: entry.host,
      port: entry.port,
      connectTimeoutMs: Math.min(options.connectTimeoutMs, timeoutMs),
      onClose: (error) => {
        if (entry.connection === connection) entry.connection = undefined;
        if (error && !closed) options.onError?.(error, node);
      },
    });
    try {
      await connection.open();
    } catch (error) {
      entry.failures += 1;
      entry.retryAt = clock.now() + backoffDelay(entry.failures, options.reconnect, clock.random);
      return lost(node, error instanceof Error ? error.message : String(error), (error as { timedOut?: unknown })?.timedOut === true);
    }
    entry.failures = 0;
    entry.retryAt = 0;
    if (closed) {
      connection.close();
      return lost(node, 'closed');
    }
    entry.connection = connection;
    return connection;
  };

  return {
    async send(node, uniq, frame, timeoutMs) {
      if (closed) return lost(node, 'closed');
      const entry = state(node);
      let connection = entry.connection;
      if (!connection || connection.closed) {
        entry.opening ??= open(node, entry, timeoutMs).finally(() => {
          entry.opening = undefined;
        });
        const opened = await entry.opening;
        if ('kind' in opened) return opened;
        connection = opened;
      }
      return connection.send(uniq, frame, timeoutMs);
    },
    size: () => [...nodes.values()].filter((entry) => entry.connection && !entry.connection.closed).length,
    close() {
      closed = true;
      for (const wake of [...sleepers]) wake();
      for (const entry of nodes.values()) entry.connection?.close();
    },
  };
}
