import type { Clock, Transport } from '../core/types.js';
import { FORM_CONTENT_TYPE } from './form.js';
import { base64Utf8 } from './base64.js';

export interface ManagerOptions {
  clock: Clock;
  transport: Transport;
  /** The C++ SDK's `manager_url`: `.../inlong/manager/openapi/dataproxy/getIpList`; `/<groupId>` is appended. */
  url: string;
  groupId: string;
  authId?: string;
  authKey?: string;
  /** Between refreshes, in ms (C++ `manager_update_interval` minutes). */
  refreshMs: number;
  timeoutMs: number;
  /** Which DataProxy source to list (`protocolType`): `HTTP` (default) or `TCP`. */
  protocol?: 'HTTP' | 'TCP';
  /** A refresh failed; the last good list stays in use. */
  onError?: (error: Error) => void;
  /** A refresh succeeded with this list of base URLs. */
  onNodes?: (urls: string[]) => void;
}

export interface ManagerDiscovery {
  /** Asks the Manager now; resolves with the list in use afterwards (the old one on failure). */
  refresh(): Promise<string[]>;
  /** Last good list. */
  current(): string[];
  /** `maxPacketLength` the Manager advertised, if any. */
  maxPacketLength(): number | undefined;
  /** Refreshes every `refreshMs` until `stop()`. */
  start(): void;
  stop(): void;
}

/** A Manager reply that carries no usable node list. */
export class DiscoveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DiscoveryError';
  }
}

/**
 * DataProxy node discovery through the InLong Manager (spec 2): `POST <url>/<groupId>` with
 * `protocolType=HTTP` (or `TCP`), HTTP Basic auth when credentials are given, envelope
 * `{success, errMsg, data: {nodeList: [{ip, port, protocolType}]}}`. A failed refresh keeps the
 * last good list, as the C++ and Java SDKs do.
 * @example const manager = createManagerDiscovery({ clock, transport, url, groupId: 'g', refreshMs: 120_000, timeoutMs: 5000 });
 */
export function createManagerDiscovery(options: ManagerOptions): ManagerDiscovery {
  const { clock } = options;
  let nodes: string[] = [];
  let packetLimit: number | undefined;
  let timer: unknown;
  let running = false;
  let inFlight: Promise<string[]> | undefined;

  const ask = async (): Promise<string[]> => {
    const headers: Record<string, string> = { 'content-type': FORM_CONTENT_TYPE };
    if (options.authId) headers.authorization = `Basic ${base64Utf8(`${options.authId}:${options.authKey ?? ''}`)}`;
    const url = `${options.url.replace(/\/+$/, '')}/${encodeURIComponent(options.groupId)}`;
    const protocol = options.protocol ?? 'HTTP';
    const response = await options.transport.send({ url, headers, body: `protocolType=${protocol}`, timeoutMs: options.timeoutMs });
    if (response.status !== 200) throw new DiscoveryError(`Manager answered HTTP ${response.status}`);
    const { urls, maxPacketLength } = parseNodeList(response.body, protocol);
    packetLimit = maxPacketLength;
    return urls;
  };

  const refresh = (): Promise<string[]> => {
    inFlight ??= ask()
      .then(
        (urls) => {
          nodes = urls;
          options.onNodes?.(urls);
          return urls;
        },
        (error: unknown) => {
          options.onError?.(error instanceof Error ? error : new DiscoveryError(String(error)));
          return nodes;
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const loop = (): void => {
    if (!running) return;
    timer = clock.setTimeout(() => void refresh().finally(loop), options.refreshMs, { background: true });
  };

  return {
    refresh,
    current: () => nodes,
    maxPacketLength: () => packetLimit,
    start() {
      if (running) return;
      running = true;
      loop();
    },
    stop() {
      running = false;
      clock.clearTimeout(timer);
    },
  };
}

/**
 * Reads the Manager envelope into node URLs (`http://ip:port`, or `tcp://ip:port` for TCP nodes);
 * throws `DiscoveryError` saying what is missing.
 */
export function parseNodeList(body: string, protocol: 'HTTP' | 'TCP' = 'HTTP'): { urls: string[]; maxPacketLength?: number } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new DiscoveryError('Manager reply is not JSON', { cause: error });
  }
  const envelope = json as { success?: unknown; errMsg?: unknown; data?: { nodeList?: unknown; maxPacketLength?: unknown } | null };
  if (envelope?.success !== true) throw new DiscoveryError(`Manager refused: ${String(envelope?.errMsg ?? 'success is not true')}`);
  const list = envelope.data?.nodeList;
  if (!Array.isArray(list) || list.length === 0) throw new DiscoveryError('Manager reply has no nodeList');
  const urls: string[] = [];
  for (const node of list as Array<{ ip?: unknown; port?: unknown; protocolType?: unknown }>) {
    if (typeof node?.ip !== 'string' || typeof node.port !== 'number') continue;
    if (typeof node.protocolType === 'string' && node.protocolType.toUpperCase() !== protocol) continue;
    urls.push(`${protocol === 'TCP' ? 'tcp' : 'http'}://${node.ip}:${node.port}`);
  }
  if (urls.length === 0) throw new DiscoveryError(`Manager reply has no ${protocol} node`);
  const limit = envelope.data?.maxPacketLength;
  return { urls, maxPacketLength: typeof limit === 'number' && limit > 0 ? limit : undefined };
}
