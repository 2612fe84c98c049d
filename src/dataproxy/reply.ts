import type { Outcome } from '../core/retry-policy.js';
import type { TransportResponse } from '../core/types.js';

/**
 * A DataProxy reply as an outcome. Defensive by design (spec 1.6): `code` may be a JSON string
 * or a number; `msg` is not escaped by the server, so the JSON may be broken — then the code is
 * read with a pattern; a JSONP wrapper is unwrapped; a 413 has an empty body.
 * @example parseReply({ status: 200, body: '{"code":"0","msg":"Ok"}' }) // { kind: 'reply', status: 200, code: 0, ... }
 */
export function parseReply({ status, body, retryAfterMs }: TransportResponse): Outcome & { kind: 'reply' } {
  const { code, message } = readCodeAndMessage(body);
  return { kind: 'reply', status, code, message, retryAfterMs };
}

const CODE_PATTERN = /"code"\s*:\s*"?(-?\d+)"?/;
const MESSAGE_PATTERN = /"msg"\s*:\s*"([^]*?)"\s*[,}]/;

/**
 * A reply code as a number: DataProxy sends it as a JSON string, the bridge's results too.
 * @example toCode('115') // 115
 */
export const toCode = (code: unknown): number | undefined =>
  typeof code === 'number' ? code : typeof code === 'string' && /^\s*-?\d+\s*$/.test(code) ? Number(code) : undefined;

/**
 * `code` and `msg` of a reply body, plus the bridge's per-pack `results` when there are some.
 * @example readCodeAndMessage('{"code":"0","msg":"Ok"}') // { code: 0, message: 'Ok' }
 */
export function readCodeAndMessage(body: string): { code: number | undefined; message: string; results?: unknown } {
  // A JSONP wrapper (`cb({...})`) is unwrapped.
  const text = body.trim().replace(/^[\w$.]+\(([^]*)\)\s*;?$/, '$1');
  try {
    const json = JSON.parse(text) as { code?: unknown; msg?: unknown; results?: unknown } | null;
    if (json && typeof json === 'object') return { code: toCode(json.code), message: typeof json.msg === 'string' ? json.msg : '', results: json.results };
  } catch (error) {
    // Not JSON: the server builds replies by hand and an unescaped quote in `msg` breaks them.
    // The patterns below still find the code.
    if (!(error instanceof SyntaxError)) throw error;
  }
  const code = CODE_PATTERN.exec(text)?.[1];
  return { code: code === undefined ? undefined : Number(code), message: MESSAGE_PATTERN.exec(text)?.[1] ?? text.slice(0, 200) };
}
