import { ConfigError } from '../core/errors/config-error.js';
import type { Clock, SocketConnector, Transport } from '../core/types.js';
import { bridgeProtocol, tcpNode } from './tcp-options.js';
import type { Sink } from './sink.js';

/** Manager discovery settings (spec 2): the C++ SDK's `manager_url`, `auth_id`, `auth_key`. */
export interface ManagerSettings {
  /** getIpList base URL; `/<groupId>` is appended (spec 2.5). */
  url: string;
  /** Group whose node list is fetched at start; other allowlisted groups are discovered on first use. */
  groupId: string;
  authId?: string;
  authKey?: string;
  /** Node-list refresh period, ms; default 120,000. */
  refreshMs?: number;
}

/** Token bucket per client address: `requests` burst, refilled at `requests` per `windowMs`. */
export interface RateLimitSettings {
  requests: number;
  windowMs: number;
}

/** Finds the client address of a request (Node: the socket; Workers: `cf-connecting-ip`). */
export type ClientAddressResolver = (request: Request, env: unknown, ctx: unknown) => string | undefined;

/** Everything `createBridge` accepts; the CLI flags and `--config` JSON use the same names. */
export interface BridgeOptions {
  /** DataProxy nodes, HTTP `http://10.0.0.5:46802` or TCP `tcp://10.0.0.5:46801` (`--dataproxy`, repeatable). */
  dataproxy?: string[];
  /** `tcp` asks a Manager for TCP nodes and speaks msgType 7 (`--protocol`); `tcp://` nodes imply it. Default `http`. */
  protocol?: 'http' | 'tcp';
  /** Manager discovery instead of fixed nodes (`--manager --group --auth-id --auth-key`). */
  manager?: ManagerSettings;
  /** Allowed `groupId/streamId` pairs (`--stream`); the first also receives ThinkingData records. */
  streams?: string[];
  /** Origins allowed to post from a page (`--allow-origin`); `*` allows any. */
  allowOrigins?: string[];
  /** Per-stream write keys, `{ 'group/stream': key }` (`--write-key group/stream=key`). */
  writeKeys?: Record<string, string>;
  /** Stream for ThinkingData-protocol records; default the first of `streams`. */
  tdStream?: string;
  /** Largest request body on the wire, bytes; default 1 MiB. Larger → 413. */
  maxBodyBytes?: number;
  /** Largest body after gunzip, bytes; default 8 MiB. Larger → 413. */
  maxInflatedBytes?: number;
  /** DataProxy `max-msg-length`: largest form per forwarded request; default 65,536 (spec 1.8). */
  maxMsgLength?: number;
  /** Per-address rate limit, or `false`; default 1,000 requests per 60 s. */
  rateLimit?: RateLimitSettings | false;
  /** Read the client address from `cf-connecting-ip` / `x-forwarded-for` (only behind a trusted proxy). */
  trustProxy?: boolean;
  clientAddress?: ClientAddressResolver;
  /** How long a `#uuid` is remembered, ms; default 600,000. */
  dedupWindowMs?: number;
  /** Most `#uuid`s remembered at once; default 100,000. */
  dedupMaxEntries?: number;
  /** Time to get a pack accepted by DataProxy (retries and failover included), ms; default 8,000. */
  forwardBudgetMs?: number;
  /** One DataProxy request's timeout, ms; default 5,000. */
  requestTimeoutMs?: number;
  /** How long a failed node is skipped, ms; default 20,000. */
  nodeParkMs?: number;
  /** The embedded sink to use when no DataProxy is configured; default in memory. */
  sink?: Sink;
  clock?: Clock;
  transport?: Transport;
  /** TCP sockets for `tcp://` forwarding; default the runtime's own (node:net, Deno.connect, cloudflare:sockets). */
  socket?: SocketConnector;
  /** Operational messages (never secrets); default none. */
  log?: (line: string) => void;
}

export type BridgeMode = 'embedded' | 'dataproxy' | 'manager';

/** Options after validation, with defaults filled in. */
export interface BridgeConfig {
  mode: BridgeMode;
  /** Which DataProxy source packs go to. */
  protocol: 'http' | 'tcp';
  dataproxy: string[];
  manager: Required<Omit<ManagerSettings, 'authId' | 'authKey'>> & Pick<ManagerSettings, 'authId' | 'authKey'> | undefined;
  /** `null`: any stream (embedded mode without `streams`). */
  streams: Set<string> | null;
  allowOrigins: Set<string>;
  anyOrigin: boolean;
  writeKeys: Map<string, string>;
  tdStream: { groupId: string; streamId: string };
  maxBodyBytes: number;
  maxInflatedBytes: number;
  maxMsgLength: number;
  rateLimit: RateLimitSettings | false;
  trustProxy: boolean;
  dedupWindowMs: number;
  dedupMaxEntries: number;
  forwardBudgetMs: number;
  requestTimeoutMs: number;
  nodeParkMs: number;
}

/**
 * Where ThinkingData records land in embedded mode when no stream is configured.
 * @example createBridge({}).fetch(syncServerRequest) // records stored under thinkingdata/events
 */
export const DEFAULT_TD_STREAM = 'thinkingdata/events';

const STREAM_PATTERN = /^([^/\s]+)\/([^/\s]+)$/;
const ORIGIN_PATTERN = /^https?:\/\/[^/\s?#]+$/i;

/**
 * Validates bridge options; throws `ConfigError` naming the option and the reason. Forwarding
 * to DataProxy requires a `streams` allowlist: an open relay must be impossible.
 * @example parseBridgeOptions({ dataproxy: ['http://127.0.0.1:46802'], streams: ['g/s'] }).mode // 'dataproxy'
 */
export function parseBridgeOptions(options: BridgeOptions): BridgeConfig {
  const dataproxy = (list(options.dataproxy, 'dataproxy') ?? []).map((url) => (/^tcp:/i.test(url) ? tcpNode(url) : httpUrl(url, 'dataproxy')));
  const manager = options.manager === undefined ? undefined : parseManager(options.manager);
  if (dataproxy.length > 0 && manager) throw new ConfigError('manager', 'give either dataproxy nodes or a manager, not both');
  const mode: BridgeMode = manager ? 'manager' : dataproxy.length > 0 ? 'dataproxy' : 'embedded';
  if (mode !== 'embedded' && options.sink) throw new ConfigError('sink', 'is for the embedded mode; DataProxy forwarding is the sink here');
  const streamList = (list(options.streams, 'streams') ?? []).map((stream) => streamKey(stream, 'streams'));
  if (mode !== 'embedded' && streamList.length === 0) {
    throw new ConfigError('streams', 'list the groupId/streamId pairs to accept when forwarding to DataProxy (no open relay)');
  }
  const protocol = bridgeProtocol(options.protocol, dataproxy, manager !== undefined, streamList);
  const streams = streamList.length > 0 ? new Set(streamList) : null;
  const allowOrigins = new Set((list(options.allowOrigins, 'allowOrigins') ?? []).map((origin) => parseOrigin(origin)));
  const writeKeys = new Map<string, string>();
  for (const [stream, key] of Object.entries(options.writeKeys ?? {})) {
    const name = `writeKeys.${stream}`;
    if (typeof key !== 'string' || key.length === 0) throw new ConfigError(name, 'must be a non-empty string');
    writeKeys.set(streamKey(stream, name), key);
  }
  const tdKey = options.tdStream === undefined ? (streamList[0] ?? DEFAULT_TD_STREAM) : streamKey(options.tdStream, 'tdStream');
  if (streams && !streams.has(tdKey)) throw new ConfigError('tdStream', `${tdKey} is not in streams`);
  const [groupId = '', streamId = ''] = tdKey.split('/');
  return {
    mode,
    protocol,
    dataproxy,
    manager,
    streams,
    // Embedded mode is a local tool: with no list, any page may post to it.
    anyOrigin: allowOrigins.has('*') || (mode === 'embedded' && allowOrigins.size === 0),
    allowOrigins,
    writeKeys,
    tdStream: { groupId, streamId },
    maxBodyBytes: positive(options.maxBodyBytes, 'maxBodyBytes', 1_048_576),
    maxInflatedBytes: positive(options.maxInflatedBytes, 'maxInflatedBytes', 8 * 1_048_576),
    maxMsgLength: positive(options.maxMsgLength, 'maxMsgLength', 65_536),
    rateLimit: parseRateLimit(options.rateLimit),
    trustProxy: options.trustProxy === true,
    dedupWindowMs: positive(options.dedupWindowMs, 'dedupWindowMs', 600_000),
    dedupMaxEntries: positive(options.dedupMaxEntries, 'dedupMaxEntries', 100_000),
    forwardBudgetMs: positive(options.forwardBudgetMs, 'forwardBudgetMs', 8000),
    requestTimeoutMs: positive(options.requestTimeoutMs, 'requestTimeoutMs', 5000),
    nodeParkMs: positive(options.nodeParkMs, 'nodeParkMs', 20_000, 0),
  };
}

function parseManager(manager: ManagerSettings): NonNullable<BridgeConfig['manager']> {
  if (typeof manager !== 'object' || manager === null) throw new ConfigError('manager', 'must be an object { url, groupId, authId?, authKey? }');
  const url = httpUrl(manager.url, 'manager.url');
  if (typeof manager.groupId !== 'string' || manager.groupId.trim() === '') throw new ConfigError('manager.groupId', 'is required with a manager');
  if (manager.authKey !== undefined && !manager.authId) throw new ConfigError('manager.authId', 'is required when authKey is given');
  return {
    url,
    groupId: manager.groupId.trim(),
    authId: manager.authId || undefined,
    authKey: manager.authKey,
    refreshMs: positive(manager.refreshMs, 'manager.refreshMs', 120_000),
  };
}

function parseRateLimit(value: BridgeOptions['rateLimit']): RateLimitSettings | false {
  if (value === false) return false;
  if (value === undefined) return { requests: 1000, windowMs: 60_000 };
  if (typeof value !== 'object' || value === null) throw new ConfigError('rateLimit', 'must be { requests, windowMs } or false');
  return { requests: positive(value.requests, 'rateLimit.requests', 1000), windowMs: positive(value.windowMs, 'rateLimit.windowMs', 60_000) };
}

function list(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw new ConfigError(name, 'must be an array of strings');
  return value as string[];
}

function httpUrl(value: unknown, name: string): string {
  if (typeof value !== 'string' || !URL.canParse(value)) throw new ConfigError(name, `must be an http(s) URL, got ${JSON.stringify(value)}`);
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(name, `must be an http(s) URL, got ${url.protocol}`);
  // Credentials in a URL would be echoed in logs and errors; the Manager takes authId/authKey.
  if (url.username || url.password) throw new ConfigError(name, 'must not carry credentials; use manager.authId / authKey');
  return value.replace(/\/+$/, '');
}

function streamKey(value: unknown, name: string): string {
  const match = typeof value === 'string' ? STREAM_PATTERN.exec(value.trim()) : null;
  if (!match) throw new ConfigError(name, `expects "groupId/streamId", got ${JSON.stringify(value)}`);
  return `${match[1]}/${match[2]}`;
}

function parseOrigin(value: string): string {
  if (value === '*') return value;
  if (!ORIGIN_PATTERN.test(value)) throw new ConfigError('allowOrigins', `expects "*" or an origin like https://app.example.com, got ${JSON.stringify(value)}`);
  return value.replace(/\/+$/, '').toLowerCase();
}

function positive(value: unknown, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) throw new ConfigError(name, `must be a number >= ${min}, got ${JSON.stringify(value)}`);
  return value;
}
