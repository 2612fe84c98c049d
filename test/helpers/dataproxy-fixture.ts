/**
 * A stand-in for the InLong DataProxy Netty HTTP source (spec 1.2–1.9) with fault injection.
 * It replays the server's decisions, codes and quirks so SDK tests fail where the real server
 * would; the Manager stand-in lives in `manager-fixture.ts`.
 */
import { STATUS_CODES } from 'node:http';
import { startTrackedServer } from './tracked-server.js';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { safePath, mergeFirstValues, pathEnd, decodeParams, decodeComponent, isJavaBlank, parseJavaInteger } from './netty-decoder.js';

export { startTrackedServer, type TrackedServer } from './tracked-server.js';

/** What to do instead of (or on top of) the normal reply; see {@link DataProxyNode.inject}. */
export type DataProxyFault = FaultScope &
  (
    | { code: number; msg?: string }
    | { httpStatus: number; retryAfter?: string; body?: string }
    | { reset: true }
    | { hang: true }
    | { delayMs: number }
    | { nonJson: true; body?: string }
    | { sinkNotReady: true }
    | { serviceClosed: true }
  );

/** Which requests a fault counts against and how many times it fires. */
export interface FaultScope {
  /** Requests it applies to; default 1. `Infinity` keeps it until `clearFaults()`. */
  times?: number;
  /**
   * `message` = `/dataproxy/message` (default), `heartbeat`, or `any` request at all. `sinkNotReady`
   * and `serviceClosed` default to `any`: the real server checks them before the path (spec 1.2).
   */
  target?: 'message' | 'heartbeat' | 'any';
}

/** One stored report (spec 1.5: one request = one item; records split on `\n` for convenience). */
export interface DataProxyItem {
  groupId: string;
  streamId: string;
  /** Parsed `dt`, or the receive time when absent/unparsable (spec 1.4). */
  dt: number;
  /** Parsed `cnt`, default 1; never checked against the body (spec 1.4). */
  cnt: number;
  body: string;
  records: string[];
  /** Every decoded parameter the handler saw (query, then body overriding). */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  at: number;
}

/** One HTTP request as it arrived, and what the fixture did with it. */
export interface DataProxyRequestLog {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Raw body bytes (only the first `maxMsgLength` bytes of an oversized body). */
  body: Uint8Array;
  bodyText: string;
  at: number;
  /** HTTP status sent, or null when nothing was sent (reset, hang, favicon, client gone). */
  status: number | null;
  /** DataProxy code in the reply (a string, as on the wire), or null for non-DataProxy replies. */
  code: string | null;
  reply: string | null;
  fault: DataProxyFault | null;
}

/** A running DataProxy stand-in. */
export interface DataProxyNode {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly received: DataProxyItem[];
  readonly requests: DataProxyRequestLog[];
  /** Every stored record, flattened in arrival order. */
  records(): string[];
  /** Resolves with `records()` once at least `count` records are stored; rejects after `timeoutMs`. */
  waitForRecords(count: number, timeoutMs?: number): Promise<string[]>;
  /** Queues a fault; faults fire first-in first-out on the requests they target. */
  inject(fault: DataProxyFault): void;
  clearFaults(): void;
  /** `['group/stream', ...]` that have a topic (others get code 115), or null to accept all. */
  setAllowedStreams(streams: readonly string[] | null): void;
  /** Empties `received` and `requests`. */
  clear(): void;
  /** Destroys the server and every socket; further connections are refused. */
  stop(): Promise<void>;
  /** Same as `stop()`, named for node-failure tests. */
  kill(): Promise<void>;
  /** Listens again on the same port after `kill()`. */
  revive(): Promise<void>;
}

/** Options for {@link startDataProxy}. */
export interface DataProxyOptions {
  /** `max-msg-length` (spec 1.8); default 65536, the code default. */
  maxMsgLength?: number;
  allowedStreams?: readonly string[] | null;
  /**
   * Add `Connection: close` to replies after which the server closes (spec 1.7 "closed"). Netty
   * closes without saying so; announcing it stops pooled clients racing the FIN. Default true.
   */
  announceClose?: boolean;
}

const MESSAGE_PATH = '/dataproxy/message';
const HEARTBEAT_PATH = '/dataproxy/heartbeat';
const FAVICON_PATH = '/favicon.ico';
const JSON_TYPE = 'application/json;charset=utf-8';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const UNKNOWN_ERROR = 2147483647;
// Spec 1.7: replies after which Netty closes the channel whatever the request asked.
const CLOSING_CODES = new Set([1, 2, 31, 32, 35, 36, 114, UNKNOWN_ERROR]);
// Spec 1.6: only these replies honour `callback` (JSONP).
const CALLBACK_CODES = new Set([0, 100, 101, 103, 104, 111, 114, 115]);
const DEFAULT_MSGS: Record<number, string> = {
  1: 'Service sink not ready',
  2: 'Service closed',
  31: 'Decode request failure',
  114: 'Put event to channel failure: injected',
  [UNKNOWN_ERROR]: 'Process message failure: injected',
};

type Outcome =
  | { kind: 'reply'; status: number; headers: Record<string, string>; body: string; close: boolean; code: string | null }
  | { kind: 'reset' }
  | { kind: 'silent' };

/**
 * Starts a DataProxy HTTP source stand-in on 127.0.0.1.
 * @example
 * const dp = await startDataProxy();
 * await fetch(`${dp.url}/dataproxy/message`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'groupId=g&streamId=s&body=a' });
 * dp.records(); // ['a']
 * await dp.stop();
 */
export async function startDataProxy(options: DataProxyOptions = {}): Promise<DataProxyNode> {
  const maxMsgLength = options.maxMsgLength ?? 65_536;
  const announceClose = options.announceClose ?? true;
  let allowed = options.allowedStreams ? new Set(options.allowedStreams) : null;
  const received: DataProxyItem[] = [];
  const requests: DataProxyRequestLog[] = [];
  const faults: Array<{ fault: DataProxyFault; left: number }> = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const records = () => received.flatMap((item) => item.records);

  const takeFault = (path: string | null): DataProxyFault | null => {
    const index = faults.findIndex(({ fault }) => {
      const target = fault.target ?? ('sinkNotReady' in fault || 'serviceClosed' in fault ? 'any' : 'message');
      return target === 'any' || (target === 'message' ? path === MESSAGE_PATH : path === HEARTBEAT_PATH);
    });
    const entry = faults[index];
    if (entry === undefined) return null;
    entry.left -= 1;
    if (entry.left <= 0) faults.splice(index, 1);
    return entry.fault;
  };

  const store = (attrs: Map<string, string>, groupId: string, streamId: string, body: string, headers: IncomingHttpHeaders) => {
    const at = Date.now();
    received.push({
      groupId,
      streamId,
      dt: parseJavaInteger(attrs.get('dt'), 64) ?? at,
      cnt: parseJavaInteger(attrs.get('cnt'), 32) ?? 1,
      body,
      records: body.split('\n'),
      params: Object.fromEntries(attrs),
      headers,
      at,
    });
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const log: DataProxyRequestLog = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: new Uint8Array(0),
      bodyText: '',
      at: Date.now(),
      status: null,
      code: null,
      reply: null,
      fault: null,
    };
    requests.push(log);
    const read = await readBody(req, maxMsgLength);
    log.body = read.bytes;
    log.bodyText = read.bytes.toString('utf8');
    if (read.aborted) return;
    let outcome: Outcome;
    let delayMs = 0;
    if (exceedsCodecLimits(req)) {
      // HttpServerCodec fails before the aggregator ever counts content (spec 1.3, 1.7).
      outcome = dpReply(31, 'Decode request failure', true);
    } else if (read.oversize) {
      // Netty HttpObjectAggregator's TOO_LARGE_CLOSE: 413, empty body, never reaches the handler
      // (spec 1.6). We drained the body first so the close cannot turn into a TCP RST that
      // would hide the 413 from the client.
      outcome = { kind: 'reply', status: 413, headers: { connection: 'close' }, body: '', close: true, code: null };
    } else {
      const fault = takeFault(safePath(log.url));
      log.fault = fault;
      if (fault !== null && 'delayMs' in fault) delayMs = fault.delayMs;
      outcome =
        fault === null || 'delayMs' in fault
          ? handleNetty(req, read.bytes, {
              maxMsgLength,
              isAllowed: (g, s) => allowed === null || allowed.has(`${g}/${s}`),
              store,
            })
          : faultOutcome(fault, log.url, read.bytes);
    }
    if (outcome.kind === 'reply') {
      log.status = outcome.status;
      log.code = outcome.code;
      log.reply = outcome.body;
    }
    const deliver = () => send(req, res, outcome, announceClose);
    if (delayMs <= 0) return deliver();
    const timer = setTimeout(() => {
      timers.delete(timer);
      deliver();
    }, delayMs);
    timers.add(timer);
  };

  const tracked = await startTrackedServer((req, res) => void onRequest(req, res));
  // Spec 1.9: Netty's idle timeout is 180 s, not Node's 5 s keep-alive default.
  tracked.server.keepAliveTimeout = 180_000;
  // Node's parser rejects malformed requests before our handler; Netty answers those with code 31.
  tracked.server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const json = '{"code":"31","msg":"Decode request failure"}';
    socket.end(`HTTP/1.1 200 OK\r\ncontent-type: ${JSON_TYPE}\r\ncontent-length: ${json.length}\r\nconnection: close\r\n\r\n${json}`);
  });
  const kill = async () => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    await tracked.close();
  };

  return {
    url: `http://127.0.0.1:${tracked.port}`,
    port: tracked.port,
    received,
    requests,
    records,
    waitForRecords: async (count, timeoutMs = 2_000) => {
      // Polling keeps the store free of listener bookkeeping; 5 ms is invisible next to HTTP.
      const deadline = Date.now() + timeoutMs;
      while (records().length < count) {
        if (Date.now() > deadline) throw new Error(`waitForRecords: ${records().length}/${count} records after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return records();
    },
    inject: (fault) => void faults.push({ fault, left: fault.times ?? 1 }),
    clearFaults: () => void faults.splice(0),
    setAllowedStreams: (streams) => {
      allowed = streams === null ? null : new Set(streams);
    },
    clear: () => {
      received.splice(0);
      requests.splice(0);
    },
    stop: kill,
    kill,
    revive: () => tracked.reopen(),
  };
}

/**
 * The Manager node entry for a running fixture, for `startManager({ groupNodes })`.
 * @example startManager({ groupNodes: { g: [nodeAddress(dp)] } })
 */
export function nodeAddress(node: { port: number }): { ip: string; port: number } {
  return { ip: '127.0.0.1', port: node.port };
}

function readBody(req: IncomingMessage, max: number): Promise<{ bytes: Buffer; oversize: boolean; aborted: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let oversize = Number(req.headers['content-length'] ?? 0) > max;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) oversize = true;
      if (!oversize) chunks.push(chunk);
    });
    const done = (aborted: boolean) => resolve({ bytes: Buffer.concat(chunks), oversize, aborted });
    req.on('end', () => done(false));
    req.on('error', () => done(true));
    req.on('close', () => done(!req.complete));
  });
}

// Netty HttpServerCodec defaults (spec 1.3): 4096-char request line, 8192 bytes of headers.
function exceedsCodecLimits(req: IncomingMessage): boolean {
  const line = `${req.method ?? ''} ${req.url ?? ''} HTTP/${req.httpVersion}`;
  let headerBytes = 0;
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headerBytes += (req.rawHeaders[i] ?? '').length + 2 + (req.rawHeaders[i + 1] ?? '').length;
  }
  return line.length > 4096 || headerBytes > 8192;
}

/** The spec 1.6 envelope, concatenated by hand (msg unescaped) exactly as `HMH sendResponse`. */
function dpReply(code: number, msg: string, close: boolean, callback?: string): Outcome {
  const json = `{"code":"${code}","msg":"${msg}"}`;
  const body = callback !== undefined && !isJavaBlank(callback) ? `${callback}(${json})` : json;
  return { kind: 'reply', status: 200, headers: { 'content-type': JSON_TYPE }, body, close, code: String(code) };
}

function unknownError(error: unknown): Outcome {
  const message = error instanceof Error ? error.message : String(error);
  return dpReply(UNKNOWN_ERROR, `Process message failure: ${message}`, true);
}

interface HandlerContext {
  maxMsgLength: number;
  isAllowed(groupId: string, streamId: string): boolean;
  store(attrs: Map<string, string>, groupId: string, streamId: string, body: string, headers: IncomingHttpHeaders): void;
}

/** `HMH channelRead0` + `processMessage`, in the same order (spec 1.7). */
function handleNetty(req: IncomingMessage, raw: Buffer, ctx: HandlerContext): Outcome {
  const method = req.method ?? '';
  const url = req.url ?? '';
  if (method !== 'GET' && method !== 'POST') return dpReply(32, 'Only support [GET, POST] methods', true);
  let path: string;
  try {
    path = decodeComponent(url, 0, pathEnd(url), true);
  } catch (error) {
    return unknownError(error);
  }
  if (path !== HEARTBEAT_PATH && path !== MESSAGE_PATH) {
    // Spec 1.2: favicon requests get no reply at all and the connection stays open.
    if (path === FAVICON_PATH) return { kind: 'silent' };
    return dpReply(35, `Only support [${HEARTBEAT_PATH}, ${MESSAGE_PATH}] paths!`, true);
  }
  const close = (req.headers.connection ?? '').trim().toLowerCase() === 'close';
  if (path === HEARTBEAT_PATH) return dpReply(0, 'Ok', close);
  const attrs = new Map<string, string>();
  try {
    mergeFirstValues(attrs, decodeParams(url, pathEnd(url)));
    const length = req.headers['content-length'];
    const type = req.headers['content-type'];
    // Spec 1.3: the body counts only with Content-Length > 0 and a non-blank Content-Type.
    if (method === 'POST' && (parseJavaInteger(length, 32) ?? 0) > 0 && type !== undefined && !isJavaBlank(type)) {
      if (type.trim().toLowerCase() !== FORM_TYPE) {
        return dpReply(36, `Only support [${FORM_TYPE}] content type!`, true);
      }
      mergeFirstValues(attrs, decodeParams(raw.toString('utf8'), 0));
    }
  } catch (error) {
    return unknownError(error);
  }
  const callback = attrs.get('callback');
  const groupId = attrs.get('groupId');
  if (groupId === undefined || isJavaBlank(groupId)) {
    return dpReply(100, 'Field groupId must exist and not blank!', close, callback);
  }
  const streamId = attrs.get('streamId');
  if (streamId === undefined || isJavaBlank(streamId)) {
    return dpReply(101, 'Field streamId must exist and not blank!', close, callback);
  }
  if (!ctx.isAllowed(groupId, streamId)) {
    return dpReply(115, `Topic not configured for groupId(${groupId}),streamId(,${streamId})`, close, callback);
  }
  const body = attrs.get('body');
  if (body === undefined) return dpReply(103, 'Field body is not exist!', close, callback);
  if (isJavaBlank(body)) return dpReply(111, 'Field body is Blank!', close, callback);
  if (body.length > ctx.maxMsgLength) {
    const msg = `Error msg, the body length(${body.length}) is bigger than allowed length(${ctx.maxMsgLength})`;
    return dpReply(104, msg, close, callback);
  }
  ctx.store(attrs, groupId, streamId, body, req.headers);
  return dpReply(0, 'Ok', close, callback);
}

function faultOutcome(fault: DataProxyFault, url: string, raw: Buffer): Outcome {
  if ('sinkNotReady' in fault) return dpReply(1, DEFAULT_MSGS[1] ?? '', true);
  if ('serviceClosed' in fault) return dpReply(2, DEFAULT_MSGS[2] ?? '', true);
  if ('reset' in fault) return { kind: 'reset' };
  if ('hang' in fault) return { kind: 'silent' };
  if ('nonJson' in fault) {
    return { kind: 'reply', status: 200, headers: { 'content-type': JSON_TYPE }, body: fault.body ?? '<html>busy</html>', close: false, code: null };
  }
  if ('httpStatus' in fault) {
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
    const body = fault.body ?? STATUS_CODES[fault.httpStatus] ?? '';
    return { kind: 'reply', status: fault.httpStatus, headers, body, close: false, code: null };
  }
  if ('code' in fault) {
    const callback = CALLBACK_CODES.has(fault.code) ? bestEffortCallback(url, raw) : undefined;
    const msg = fault.msg ?? DEFAULT_MSGS[fault.code] ?? `Injected code ${fault.code}`;
    return dpReply(fault.code, msg, CLOSING_CODES.has(fault.code), callback);
  }
  return { kind: 'silent' };
}

function bestEffortCallback(url: string, raw: Buffer): string | undefined {
  try {
    const attrs = new Map<string, string>();
    mergeFirstValues(attrs, decodeParams(url, pathEnd(url)));
    mergeFirstValues(attrs, decodeParams(raw.toString('utf8'), 0));
    return attrs.get('callback');
  } catch {
    return undefined;
  }
}

function send(req: IncomingMessage, res: ServerResponse, outcome: Outcome, announceClose: boolean): void {
  if (outcome.kind === 'silent' || res.destroyed) return;
  if (outcome.kind === 'reset') return void req.socket.destroy();
  const body = Buffer.from(outcome.body, 'utf8');
  res.sendDate = false; // Netty's reply carries no Date header.
  res.statusCode = outcome.status;
  for (const [name, value] of Object.entries(outcome.headers)) res.setHeader(name, value);
  res.setHeader('content-length', body.length);
  if (outcome.close && announceClose) res.setHeader('connection', 'close');
  res.end(body, () => {
    if (outcome.close) req.socket.end();
  });
}
