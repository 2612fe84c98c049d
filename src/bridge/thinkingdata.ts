import { classify } from '../core/retry-policy.js';
import { decodeUtf8 } from './body.js';
import { jsonResponse, RequestError } from './reply.js';
import type { RouteContext } from './routes.js';
import type { SinkResult } from './sink.js';
import { parseJson, parseTdArray, parseTdClientBody, readForm } from './td-body.js';
import { debugReply, validateTdRecord } from './td-debug.js';

/**
 * ThinkingData receiver routes (spec/thinkingdata.md, "The receiver's HTTP protocol"). Records
 * land in the configured ThinkingData stream (`tdStream`). When that stream has a write key, the
 * client's app id (`appid` header or field, or the envelope's `#app_id`) must equal it — the one
 * credential every ThinkingData client already sends.
 *
 * Answers: `{"code":0}` once the sink accepted; a transient sink failure is HTTP 503 with
 * Retry-After, because ThinkingData clients retry non-200 statuses and treat a non-zero `code`
 * as a data error that is never retried.
 */

/**
 * `POST /sync_server` (and the old `/logagent`): a JSON array of records, gzip unless the
 * `compress` header says `none`. A body that starts with the gzip magic is gunzipped whatever the
 * header says, since some clients omit it.
 * @example await handleTdServer(context) // 200 {"code":0}
 */
export async function handleTdServer(context: RouteContext): Promise<Response> {
  const { request } = context;
  const text = await readTdText(context, request.headers.get('compress'));
  const records = parseTdArray(text);
  return deliver(context, records, request.headers.get('appid') ?? undefined);
}

/**
 * `POST /sync_data` and `GET|POST /sync_js`: the app and web SDKs' envelope, as JSON or as the
 * form field `data` (base64 JSON from the web SDK; a GET carries it in the query).
 * @example await handleTdClient(context) // 200 {"code":0}
 */
export async function handleTdClient(context: RouteContext): Promise<Response> {
  const { request, url } = context;
  const isGet = request.method === 'GET';
  const text = isGet ? url.search.slice(1) : await readTdText(context, request.headers.get('compress'));
  const isForm = isGet || (request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  const batch = parseTdClientBody(text, isForm);
  return deliver(context, batch.records, request.headers.get('appid') ?? batch.appId);
}

/**
 * `POST /data_debug`: one record in the form field `data`, validated and answered in the debug
 * shape (`errorLevel` 0 or -1 with reasons); `dryRun=1` validates without storing.
 * @example await handleTdDebug(context) // 200 {"errorLevel":0}
 */
export async function handleTdDebug(context: RouteContext): Promise<Response> {
  const fields = readForm(decodeUtf8(await context.readBody()));
  const data = fields.get('data');
  if (data === undefined || data.trim() === '') throw new RequestError(400, 'bad_form', 'form field data (one record as JSON) is missing');
  const record = parseJson(data);
  const { groupId, streamId } = context.config.tdStream;
  context.auth.check(groupId, streamId, fields.get('appid'));
  const issues = validateTdRecord(record);
  if (issues.length > 0) return jsonResponse(200, debugReply(issues));
  if (fields.get('dryRun') === '1' || fields.get('dryRun') === 'true') return jsonResponse(200, debugReply([]));
  const [result] = await context.intake.accept([{ groupId, streamId, dt: context.now(), records: [data.trim()] }], context.clientIp);
  if (result === undefined || result.code === '0') return jsonResponse(200, debugReply([]));
  return failure(result, (status, extra) => jsonResponse(status, { ...debugReply([{ errorReason: result.msg }]), ...extra }));
}

async function readTdText(context: RouteContext, compress: string | null): Promise<string> {
  let bytes = await context.readBody();
  const flagged = compress?.trim().toLowerCase();
  const encoded = context.request.headers.get('content-encoding')?.trim().toLowerCase() === 'gzip';
  const magic = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (flagged === 'gzip' || encoded || (flagged !== 'none' && magic)) bytes = await context.gunzip(bytes);
  return decodeUtf8(bytes);
}

async function deliver(context: RouteContext, records: string[], appId: string | undefined): Promise<Response> {
  const { groupId, streamId } = context.config.tdStream;
  context.auth.check(groupId, streamId, appId);
  if (records.length === 0) return jsonResponse(200, { code: 0 });
  const [result] = await context.intake.accept([{ groupId, streamId, dt: context.now(), records }], context.clientIp);
  if (result === undefined || result.code === '0') return jsonResponse(200, { code: 0 });
  return failure(result, (status, extra) => jsonResponse(status, { code: Number(result.code), msg: result.msg, ...extra }));
}

/** Transient → 503 + Retry-After (the client retries); a DataProxy caller error → 200 with its code. */
function failure(result: SinkResult, reply: (status: number, extra: Record<string, unknown>) => Response): Response {
  const verdict = classify({ kind: 'reply', status: 200, code: Number(result.code), message: result.msg });
  if (verdict.action !== 'retry') return reply(200, {});
  const response = reply(503, {});
  response.headers.set('retry-after', '1');
  return response;
}
