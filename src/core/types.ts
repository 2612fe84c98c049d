/**
 * Contracts between the core and everything injected into it. The core never reads runtime
 * globals: a runtime preset (src/runtimes/*) or a test builds these objects and passes them in.
 */

/** Time, timers and randomness. Injected so tests are exact instead of slept. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * `background` timers (discovery refresh, idle checks) must not keep a server process alive;
   * timers that guard undelivered data must.
   */
  setTimeout(callback: () => void, ms: number, options?: { background?: boolean }): unknown;
  clearTimeout(handle: unknown): void;
  /** A number in [0, 1); used for backoff jitter and node choice. */
  random(): number;
  /** A random RFC 4122 version 4 UUID. */
  uuid(): string;
}

/**
 * An asynchronous key-value store. Values are structured data (objects, arrays, strings,
 * numbers, `Uint8Array`); adapters that can only keep strings serialise them.
 */
export interface StorageAdapter {
  readonly name: string;
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
  /** Every key that starts with `prefix`. */
  keys(prefix: string): Promise<string[]>;
}

/** One HTTP request as the core describes it; a transport adapter carries it. */
export interface TransportRequest {
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  timeoutMs: number;
  /** Ask the runtime to finish the request after the page is gone (fetch `keepalive`). */
  keepalive?: boolean;
}

/** What came back. Non-2xx statuses are replies, not errors. */
export interface TransportResponse {
  status: number;
  body: string;
  /** Parsed `Retry-After`, in milliseconds, when the server sent one. */
  retryAfterMs?: number;
}

/** Sends a request. Rejects with a `NetworkError` when no HTTP reply arrived. */
export interface Transport {
  readonly name: string;
  send(request: TransportRequest): Promise<TransportResponse>;
}

/** Fire-and-forget delivery for page exit (the browser's `sendBeacon`). */
export interface BeaconTransport {
  readonly name: string;
  /** True when the runtime queued the bytes; false when it refused them (budget or size). */
  send(url: string, body: Uint8Array | string, contentType: string): boolean;
}

/** gzip in both directions. */
export interface Compressor {
  readonly name: string;
  gzip(data: Uint8Array): Promise<Uint8Array>;
  gunzip(data: Uint8Array): Promise<Uint8Array>;
}

/**
 * A pack: records of one `(groupId, streamId)` that travel together as one DataProxy form
 * (`body` = records joined by `\n`, `cnt` = records.length). A record that itself contains `\n`
 * always travels alone, so the join never splits it.
 */
export interface Pack {
  /** Stable across retries and reloads. */
  id: string;
  groupId: string;
  streamId: string;
  records: string[];
  /** Data time in milliseconds (DataProxy `dt`). */
  dt: number;
  /** UTF-8 bytes of the joined body. */
  bytes: number;
  /** Delivery attempts so far. */
  attempts: number;
  createdAt: number;
  /**
   * Caller data parallel to `records` (per-message callbacks of `send`). Lives in memory only:
   * a durable outbox does not keep it.
   */
  meta?: unknown[];
  /**
   * The records already form-encoded and joined (`%0A`), computed once when the pack closed so
   * hot paths do not encode twice. Memory only; absent after a split or a reload.
   */
  wire?: string;
}

/** What a byte socket reports after it connected. Each handler runs on the runtime's own turn. */
export interface SocketHandlers {
  /** Bytes arrived, in order. The chunk may be reused by the runtime after the call: copy what you keep. */
  onData(chunk: Uint8Array): void;
  /** The socket is gone, once: `error` unless it was closed by `close()` or by a clean end from the peer. */
  onClose(error?: Error): void;
}

/** A connected TCP socket, as the TCP sender uses it. */
export interface ByteSocket {
  /** Queues bytes in order; never throws. A failed write closes the socket through `onClose`. */
  write(bytes: Uint8Array): void;
  /** Closes now; queued bytes may be dropped. `onClose` follows without an error. */
  close(): void;
  /**
   * `false` while nothing is awaited on this socket, so an idle pooled connection does not keep
   * a server process alive (Node `unref`, Deno `unref`); where that means nothing it is absent.
   */
  setActive?(active: boolean): void;
}

/**
 * Opens TCP connections: one adapter per runtime (src/adapters/socket/: `node:net`,
 * `Deno.connect`, Cloudflare's `connect()`). Rejects with a `NetworkError` when no connection
 * was made (refused, unreachable, past `timeoutMs`).
 */
export interface SocketConnector {
  readonly name: string;
  /**
   * True where a socket belongs to the request that opened it (Cloudflare Workers refuse I/O on
   * it from another request): a long-lived pool then opens its connections per request.
   */
  readonly requestScoped?: boolean;
  connect(address: { host: string; port: number; timeoutMs: number }, handlers: SocketHandlers): Promise<ByteSocket>;
}
