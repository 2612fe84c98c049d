import type { Outcome } from '../core/retry-policy.js';
import type { TransportResponse } from '../core/types.js';

/**
 * A DataProxy reply as an outcome. Defensive by design (spec 1.6): `code` may be a JSON string
 * or a number; `msg` is not escaped by the server, so the JSON may be broken — then the code is
 * read with a pattern; a JSONP wrapper is unwrapped; a 413 has an empty body.
 * @example parseReply({ status: 200, body: '{"code":"0","msg":"Ok"}' }) // { kind: 'reply', status: 200, code: 0, ... }
 */
export function parseReply(response: TransportResponse): Outcome & { kind: 'reply' } {
  const { status, body, retryAfterMs } = response;
  const parsed = readCodeAndMessage(body);
  return { kind: 'reply', status, code: parsed.code, message: parsed.message, retryAfterMs };
}

const CODE_PATTERN = /"code"\s*:\s*"?(-?\d+)"?/;
const MESSAGE_PATTERN = /"msg"\s*:\s*"([^]*?)"\s*[,}]/;

export function readCodeAndMessage(body: string): { code: number | undefined; message: string } {
  const text = unwrapJsonp(body.trim());
  try {
    const json: unknown = JSON.parse(text);
    if (json && typeof json === 'object') {
      const { code, msg } = json as { code?: unknown; msg?: unknown };
      const number = typeof code === 'number' ? code : typeof code === 'string' && /^-?\d+$/.test(code.trim()) ? Number(code) : undefined;
      return { code: number, message: typeof msg === 'string' ? msg : '' };
    }
  } catch {
    // Not JSON: the server builds replies by hand and an unescaped quote in `msg` breaks them.
    // Fall through to the patterns, which still find the code.
  }
  const code = CODE_PATTERN.exec(text)?.[1];
  const message = MESSAGE_PATTERN.exec(text)?.[1] ?? text.slice(0, 200);
  return { code: code === undefined ? undefined : Number(code), message };
}

function unwrapJsonp(text: string): string {
  const match = /^[\w$.]+\(([^]*)\)\s*;?$/.exec(text);
  return match?.[1] ?? text;
}
