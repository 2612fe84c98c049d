import { buildMultiPackReply } from '../dataproxy/multi-pack.js';
import { decodeUtf8 } from './body.js';
import { checkMessageContentType, parseMessageBody } from './message.js';
import { jsonResponse } from './reply.js';
import type { RouteContext } from './routes.js';
import { OK_RESULT } from './sink.js';

/**
 * `GET|POST /dataproxy/message`: DataProxy's form (spec 1.3–1.5) or the multi-pack lines, gzip
 * when the query says `compress=gzip` (sendBeacon cannot set headers) or `Content-Encoding: gzip`.
 * Every pack is checked (form, allowlist, write key) before any is written, so a request is
 * either refused whole or handed to the sink. The answer waits for the sink: `{"code":"0",
 * "msg":"Ok"}` for one form, plus `results` (one per line) for several.
 * @example await handleMessage(context) // 200 {"code":"0","msg":"Ok"}
 */
export async function handleMessage(context: RouteContext): Promise<Response> {
  const { request, url } = context;
  let text: string;
  if (request.method === 'GET') {
    // A GET carries the form in its query (spec 1.3), as DataProxy reads it.
    text = url.search.slice(1);
  } else {
    checkMessageContentType(request.headers.get('content-type'));
    let bytes = await context.readBody();
    const gzip = url.searchParams.get('compress') === 'gzip' || request.headers.get('content-encoding')?.trim().toLowerCase() === 'gzip';
    if (gzip) bytes = await context.gunzip(bytes);
    text = decodeUtf8(bytes);
  }
  const packs = parseMessageBody(text, context.now());
  for (const pack of packs) context.auth.check(pack.groupId, pack.streamId, pack.writeKey);
  // The write key stops here: it is the bridge's credential, never DataProxy's.
  const results = await context.intake.accept(
    packs.map(({ groupId, streamId, dt, records }) => ({ groupId, streamId, dt, records })),
    context.clientIp,
  );
  if (packs.length === 1) return jsonResponse(200, results[0] ?? OK_RESULT);
  return jsonResponse(200, buildMultiPackReply(results));
}

/**
 * `GET|POST /dataproxy/heartbeat`: DataProxy's liveness answer (spec 1.2).
 * @example await handleHeartbeat() // 200 {"code":"0","msg":"Ok"}
 */
export async function handleHeartbeat(): Promise<Response> {
  return jsonResponse(200, OK_RESULT);
}

/**
 * `GET /inlong/records?after=<seq>&limit=<n>`: what the embedded sink holds, oldest first, for
 * the playground. 404 when the bridge forwards to DataProxy (nothing is kept).
 * @example await handleRecords(context) // 200 {"records":[{"seq":1,...}],"next":1}
 */
export async function handleRecords(context: RouteContext): Promise<Response> {
  const sink = context.sink();
  if (!sink.read) return jsonResponse(404, { code: '404', msg: 'this bridge forwards to DataProxy and keeps no records' });
  const after = readInteger(context.url.searchParams.get('after'), 0);
  const limit = readInteger(context.url.searchParams.get('limit'), 1000);
  if (after === undefined || limit === undefined || limit < 1) {
    return jsonResponse(400, { code: '400', msg: 'after and limit must be non-negative integers (limit >= 1)' });
  }
  return jsonResponse(200, await sink.read(after, Math.min(limit, 10_000)));
}

/**
 * `GET /inlong/stats`: the counters, the mode and the sink's description (no secrets).
 * @example await handleStats(context) // 200 {"mode":"embedded","requests":3,...}
 */
export async function handleStats(context: RouteContext): Promise<Response> {
  return jsonResponse(200, { mode: context.config.mode, sink: context.sink().description, ...context.stats.snapshot() });
}

function readInteger(text: string | null, fallback: number): number | undefined {
  if (text === null || text === '') return fallback;
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}
