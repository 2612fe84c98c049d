/**
 * DataProxy's reply content type (spec 1.6), used for every JSON reply of the bridge.
 * @example new Response(json, { headers: { 'content-type': JSON_TYPE } })
 */
export const JSON_TYPE = 'application/json;charset=utf-8';

/**
 * A request the bridge refuses. `status` is the HTTP status; `code` goes into the JSON body
 * (a DataProxy code such as `"100"` when one fits, else the status); `reason` is the stats key.
 * Messages say what was wrong and never contain a secret.
 * @example throw new RequestError(413, 'too_large', 'body exceeds 1048576 bytes');
 */
export class RequestError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, reason: string, message: string, options: { code?: string; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'RequestError';
    this.status = status;
    this.reason = reason;
    this.code = options.code ?? String(status);
    this.headers = options.headers ?? {};
  }
}

/**
 * True for a `RequestError`, also one from another copy of the package.
 * @example if (isRequestError(error)) return errorResponse(error);
 */
export function isRequestError(error: unknown): error is RequestError {
  return error instanceof Error && error.name === 'RequestError';
}

/**
 * A JSON response with the headers every bridge reply carries.
 * @example jsonResponse(200, { code: '0', msg: 'Ok' })
 */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(text, {
    status,
    headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers },
  });
}

/**
 * The JSON error reply for a refused request: `{"code": ..., "msg": ...}`, plus ThinkingData's
 * `errorLevel` on ThinkingData routes so their clients read it too.
 * @example errorResponse(new RequestError(400, 'bad_json', 'body is not JSON'))
 */
export function errorResponse(error: RequestError, extra: Record<string, unknown> = {}): Response {
  return jsonResponse(error.status, { code: error.code, msg: error.message, ...extra }, error.headers);
}
