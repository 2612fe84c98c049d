import { NetworkError } from '../../core/errors/network-error.js';
import type { ByteSocket, Clock, SocketConnector } from '../../core/types.js';
import { createFrameReader } from './frame-reader.js';
import { encodeHeartbeat } from './heartbeat.js';
import { isTcpProtocolError, TcpProtocolError } from './protocol-error.js';

/** What became of one frame. */
export type FrameResult =
  | { kind: 'ack'; code: number | undefined; message: string }
  /** No ack: `written` says whether DataProxy may hold the frame (then a resend can duplicate it). */
  | { kind: 'lost'; timedOut: boolean; written: boolean; message: string };

export interface TcpConnectionOptions {
  clock: Clock;
  connector: SocketConnector;
  host: string;
  port: number;
  connectTimeoutMs: number;
  /** Frames awaiting their ack at once; more wait their turn in order. */
  window: number;
  /** The longest a connection goes without a write: a heartbeat fills the gap, ms. */
  heartbeatMs: number;
  /** A connection that carried no frame for this long is closed (C++ `tcp_idle_time`), ms. */
  idleMs: number;
  /** The connection ended: `error` says why, `undefined` for an idle or requested close. */
  onClose(error: Error | undefined): void;
}

export interface TcpConnection {
  /** `tcp://host:port` */
  readonly node: string;
  /** Connects; rejects with a `NetworkError`. */
  open(): Promise<void>;
  /** Sends a frame and resolves when its ack (matched by `uniq`) came, or it was lost. Never rejects. */
  send(uniq: number, frame: Uint8Array, timeoutMs: number): Promise<FrameResult>;
  /** Frames sent and waiting, plus those queued behind the window. */
  load(): number;
  readonly closed: boolean;
  close(error?: Error): void;
}

interface Entry {
  uniq: number;
  frame: Uint8Array;
  resolve: (result: FrameResult) => void;
  timer: unknown;
  written: boolean;
  /** Bytes read from the socket when this frame was written, to tell a slow node from a dead one. */
  readMark: number;
}

/**
 * One persistent TCP connection to one DataProxy node. Frames are pipelined up to `window`
 * awaiting their ack; acks are matched by `uniq` (DataProxy acks in order, but nothing here
 * relies on it). A frame whose ack does not come within its timeout is given up (the caller
 * resends it elsewhere); when nothing at all was read since it was written, the node is silent
 * and the connection is dropped. Garbage from the peer (`TcpProtocolError`) drops it too. Every
 * frame still waiting then resolves `lost`. Heartbeats (msgType 8) keep DataProxy's 3-minute
 * read-idle timer from closing it; an unanswered heartbeat closes it from this side.
 * @example const connection = createTcpConnection({ clock, connector, host, port, connectTimeoutMs: 3000, window: 32, heartbeatMs: 60_000, idleMs: 600_000, onClose });
 */
export function createTcpConnection(options: TcpConnectionOptions): TcpConnection {
  const { clock } = options;
  const node = `tcp://${options.host}:${options.port}`;
  const tickMs = options.heartbeatMs / 2;
  const reader = createFrameReader();
  const pending = new Map<number, Entry>();
  const queue: Entry[] = [];
  let socket: ByteSocket | undefined;
  let closed = false;
  let bytesRead = 0;
  let lastWriteAt = clock.now();
  let lastFrameAt = clock.now();
  let heartbeatOutstanding = false;
  let tickTimer: unknown;
  let active = false;

  const setActive = (): void => {
    const now = pending.size + queue.length > 0;
    if (now !== active) socket?.setActive?.(now);
    active = now;
  };

  const settle = (entry: Entry, result: FrameResult): void => {
    clock.clearTimeout(entry.timer);
    entry.resolve(result);
  };

  const write = (bytes: Uint8Array): void => {
    lastWriteAt = clock.now();
    socket?.write(bytes);
  };

  const pump = (): void => {
    while (!closed && queue.length > 0 && pending.size < options.window) {
      const entry = queue.shift() as Entry;
      entry.written = true;
      entry.readMark = bytesRead;
      pending.set(entry.uniq, entry);
      lastFrameAt = clock.now();
      write(entry.frame);
    }
    setActive();
  };

  const close = (error?: Error): void => {
    if (closed) return;
    closed = true;
    clock.clearTimeout(tickTimer);
    socket?.close();
    const why = error?.message ?? 'connection closed';
    for (const entry of [...pending.values(), ...queue]) {
      settle(entry, { kind: 'lost', timedOut: false, written: entry.written, message: `${node}: ${why} before the ack${entry.written ? ' (frame written)' : ''}` });
    }
    pending.clear();
    queue.length = 0;
    options.onClose(error);
  };

  const onData = (chunk: Uint8Array): void => {
    bytesRead += chunk.length;
    let frames;
    try {
      frames = reader.push(chunk);
    } catch (error) {
      // Past a bad frame nothing lines up any more: drop the connection, resend what it held.
      if (!isTcpProtocolError(error)) throw error;
      close(new TcpProtocolError(`${node}: ${error.message}`, { cause: error }));
      return;
    }
    for (const frame of frames) {
      if (frame.type === 'heartbeat') {
        heartbeatOutstanding = false;
        continue;
      }
      const entry = pending.get(frame.uniq);
      // An ack for a frame already given up (it came after the timeout) changes nothing.
      if (!entry) continue;
      pending.delete(frame.uniq);
      settle(entry, { kind: 'ack', code: frame.code, message: frame.message });
    }
    pump();
  };

  const tick = (): void => {
    if (closed) return;
    const now = clock.now();
    if (heartbeatOutstanding) return close(new NetworkError(`${node}: no heartbeat reply within ${tickMs} ms`));
    if (pending.size + queue.length === 0 && now - lastFrameAt >= options.idleMs) return close();
    // Checked every half interval, so no write gap ever exceeds the interval.
    if (now - lastWriteAt >= tickMs) {
      heartbeatOutstanding = true;
      write(encodeHeartbeat(now));
    }
    tickTimer = clock.setTimeout(tick, tickMs, { background: true });
  };

  const onTimeout = (entry: Entry, timeoutMs: number): void => {
    const index = queue.indexOf(entry);
    if (index !== -1) queue.splice(index, 1);
    pending.delete(entry.uniq);
    entry.resolve({ kind: 'lost', timedOut: true, written: entry.written, message: `${node}: no ack within ${timeoutMs} ms${entry.written ? ' (frame written)' : ''}` });
    // Not one byte since the frame left: the node is not slow, it is gone.
    if (entry.written && bytesRead === entry.readMark) close(new NetworkError(`${node}: silent for ${timeoutMs} ms with frames waiting`, { timedOut: true }));
    else pump();
  };

  return {
    node,
    async open() {
      socket = await options.connector.connect({ host: options.host, port: options.port, timeoutMs: options.connectTimeoutMs }, {
        onData,
        onClose: (error) => close(error ?? new NetworkError(`${node}: closed by DataProxy`)),
      });
      if (closed) return void socket.close();
      socket.setActive?.(false);
      lastWriteAt = clock.now();
      tickTimer = clock.setTimeout(tick, tickMs, { background: true });
    },
    send(uniq, frame, timeoutMs) {
      return new Promise((resolve) => {
        if (closed) return resolve({ kind: 'lost', timedOut: false, written: false, message: `${node}: connection closed` });
        const entry: Entry = { uniq, frame, resolve, timer: undefined, written: false, readMark: 0 };
        entry.timer = clock.setTimeout(() => onTimeout(entry, timeoutMs), timeoutMs);
        queue.push(entry);
        pump();
      });
    },
    load: () => pending.size + queue.length,
    get closed() {
      return closed;
    },
    close,
  };
}
