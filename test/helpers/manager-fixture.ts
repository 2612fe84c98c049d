/**
 * A stand-in for the InLong Manager open API that lists DataProxy nodes (spec section 2), with
 * fault injection. Pair it with `startDataProxy()` through `nodeAddress()`.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { startTrackedServer } from './dataproxy-fixture.js';

/** One DataProxy node as the Manager knows it (spec 2.4 `nodeList[]`). */
export interface ManagerNodeEntry {
  ip: string;
  port: number;
  /** Default `HTTP`. */
  protocolType?: 'HTTP' | 'TCP';
  /** Default: position in the group's list + 1. */
  id?: number;
  nodeLoad?: number;
}

/** Options for {@link startManager}. */
export interface ManagerOptions {
  groupNodes: Record<string, ManagerNodeEntry[]>;
  /** When set, requests need `Authorization: Basic base64(id:key)` (spec 2.2); else 403. */
  auth?: { id: string; key: string };
  /** `data.clusterId`; default 1. */
  clusterId?: number;
  /** `data.maxPacketLength`; default null (spec 2.4). */
  maxPacketLength?: number | null;
}

/** What to do instead of the normal reply, for the next `times` (default 1) list requests. */
export type ManagerFault = { times?: number } & (
  | { httpStatus: number; body?: string; retryAfter?: string }
  | { reset: true }
  | { delayMs: number }
  | { errMsg: string }
  | { nonJson: true }
);

/** One request to the Manager and the status it got (0 when the socket was reset). */
export interface ManagerRequestLog {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  groupId: string | null;
  protocolType: string | null;
  status: number;
  at: number;
}

/** A running Manager stand-in. */
export interface ManagerFixture {
  /** Base URL to use as `manager_url`; the SDK appends `/<groupId>` (spec 2.5). */
  readonly url: string;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  readonly requests: ManagerRequestLog[];
  /** Replaces a group's nodes; `null` forgets the group (then `success:false`). */
  setNodes(groupId: string, nodes: ManagerNodeEntry[] | null): void;
  inject(fault: ManagerFault): void;
  clearFaults(): void;
  stop(): Promise<void>;
  /** Listens again on the same port after `stop()`. */
  revive(): Promise<void>;
}

const BASE_PATH = '/inlong/manager/openapi/dataproxy/getIpList';

/**
 * Starts a Manager `getIpList` stand-in on 127.0.0.1.
 * @example
 * const dp = await startDataProxy();
 * const mgr = await startManager({ groupNodes: { g1: [nodeAddress(dp)] }, auth: { id: 'u', key: 'k' } });
 * // POST `${mgr.url}/g1` with `protocolType=HTTP` → data.nodeList[0].port === dp.port
 */
export async function startManager(options: ManagerOptions): Promise<ManagerFixture> {
  const groups = new Map(Object.entries(options.groupNodes));
  const requests: ManagerRequestLog[] = [];
  const faults: Array<{ fault: ManagerFault; left: number }> = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readText(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const log: ManagerRequestLog = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body,
      groupId: null,
      protocolType: null,
      status: 0,
      at: Date.now(),
    };
    requests.push(log);
    const reply = (status: number, payload: string, headers: Record<string, string> = {}) => {
      log.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload);
    };
    const springError = (status: number, error: string, headers?: Record<string, string>) =>
      reply(status, JSON.stringify({ timestamp: new Date().toISOString(), status, error, path: url.pathname }), headers);

    // Spec 2.2: the Shiro filter runs before routing, so bad credentials win over 404/405.
    if (options.auth && !isAuthorized(req.headers.authorization, options.auth)) {
      return springError(403, 'Forbidden');
    }
    const match = url.pathname.startsWith(`${BASE_PATH}/`) ? url.pathname.slice(BASE_PATH.length + 1) : '';
    if (match === '' || match.includes('/')) return springError(404, 'Not Found');
    if (req.method !== 'POST') return springError(405, 'Method Not Allowed', { allow: 'POST' });
    let groupId: string;
    try {
      groupId = decodeURIComponent(match);
    } catch {
      return springError(400, 'Bad Request');
    }
    // Spec 2.1: a servlet parameter comes from the query or the form body; the query's comes first.
    const isForm = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
    const protocolType = url.searchParams.get('protocolType') ?? (isForm ? new URLSearchParams(body).get('protocolType') : null);
    log.groupId = groupId;
    log.protocolType = protocolType;

    const entry = faults[0];
    if (entry !== undefined && --entry.left <= 0) faults.shift();
    const fault = entry?.fault;
    if (fault && 'reset' in fault) return void req.socket.destroy();
    if (fault && 'httpStatus' in fault) {
      const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
      return reply(fault.httpStatus, fault.body ?? '', headers);
    }
    if (fault && 'nonJson' in fault) return reply(200, '<html>maintenance</html>');
    if (fault && 'errMsg' in fault) return reply(200, JSON.stringify({ success: false, errMsg: fault.errMsg, data: null }));

    const nodes = groups.get(groupId);
    const payload =
      nodes === undefined
        ? { success: false, errMsg: `inlong group not found for groupId=${groupId}`, data: null }
        : { success: true, errMsg: null, data: nodeResponse(nodes, protocolType, options) };
    const send = () => reply(200, JSON.stringify(payload));
    if (!fault || !('delayMs' in fault)) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) send();
    }, fault.delayMs);
    timers.add(timer);
  };

  const tracked = await startTrackedServer((req, res) => void onRequest(req, res));
  const origin = `http://127.0.0.1:${tracked.port}`;
  return {
    url: `${origin}${BASE_PATH}`,
    origin,
    port: tracked.port,
    requests,
    setNodes: (groupId, nodes) => {
      if (nodes === null) groups.delete(groupId);
      else groups.set(groupId, nodes);
    },
    inject: (fault) => void faults.push({ fault, left: fault.times ?? 1 }),
    clearFaults: () => void faults.splice(0),
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await tracked.close();
    },
    revive: () => tracked.reopen(),
  };
}

/** The `data` object of spec 2.4, with nulls serialised as the Manager's ObjectMapper does. */
function nodeResponse(nodes: ManagerNodeEntry[], protocolType: string | null, options: ManagerOptions) {
  // Spec 2.1: SQL equality on protocol_type; MySQL's default collation ignores case (Go sends `tcp`).
  const wanted = protocolType === null || protocolType.trim() === '' ? null : protocolType.toUpperCase();
  const nodeList = nodes
    .map((node, index) => ({
      id: node.id ?? index + 1,
      ip: node.ip,
      port: node.port,
      protocolType: node.protocolType ?? 'HTTP',
      nodeLoad: node.nodeLoad ?? 0,
    }))
    .filter((node) => wanted === null || node.protocolType === wanted);
  return {
    clusterId: options.clusterId ?? 1,
    reportSourceType: null,
    isIntranet: null,
    isSwitch: null,
    load: 20,
    maxPacketLength: options.maxPacketLength ?? null,
    // Spec 2.4: with no nodes the Manager leaves nodeList unset (serialised as null).
    nodeList: nodeList.length > 0 ? nodeList : null,
  };
}

/** Spec 2.2: plain Basic auth, `base64(secretId:secretKey)`; the scheme name is case-insensitive. */
function isAuthorized(header: string | undefined, auth: { id: string; key: string }): boolean {
  const match = /^basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && decoded.slice(0, colon) === auth.id && decoded.slice(colon + 1) === auth.key;
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // A client that vanishes mid-body still resolves, so the handler never hangs.
    req.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
