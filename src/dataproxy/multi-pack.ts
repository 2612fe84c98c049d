import type { Pack } from '../core/types.js';
import { packToForm, encodeFormValue } from './form.js';
import { readCodeAndMessage, toCode } from './reply.js';
import type { Outcome } from '../core/retry-policy.js';

/**
 * The bridge extension of DataProxy's form protocol, for clients that send several streams in
 * one request (browsers, whose beacons and connections are scarce): the body is one
 * DataProxy form per line. A plain DataProxy form has no raw `\n` (form encoding escapes it),
 * so a single-form request is the same thing with one line and any DataProxy client works.
 *
 * Query flags, because `sendBeacon` cannot set headers: `compress=gzip` for a gzip body.
 * The reply adds `results`, one `{code, msg}` per line, in order.
 */
export const MULTI_PACK_PATH = '/dataproxy/message';

/** One line per pack; a write key, when given, rides in each form as `writeKey`. */
export function buildMultiPackBody(packs: readonly Pick<Pack, 'groupId' | 'streamId' | 'dt' | 'records' | 'wire'>[], writeKey?: string): string {
  const suffix = writeKey ? `&writeKey=${encodeFormValue(writeKey)}` : '';
  return packs.map((pack) => packToForm(pack) + suffix).join('\n');
}

/** One reply entry. */
export interface PackResult {
  code: string;
  msg: string;
}

/** The bridge's reply body for a multi-pack request. */
export function buildMultiPackReply(results: readonly PackResult[]): string {
  const failed = results.find((result) => result.code !== '0');
  const head = failed ?? { code: '0', msg: 'Ok' };
  return JSON.stringify({ code: head.code, msg: head.msg, results });
}

/**
 * Outcomes for `count` packs from a bridge reply. A reply without `results` (a plain DataProxy
 * node, or an error before any pack was read) applies its one code to every pack.
 */
export function parseMultiPackReply(status: number, body: string, count: number, retryAfterMs?: number): Outcome[] {
  const reply = readCodeAndMessage(body);
  const { results } = reply;
  const each = status === 200 && Array.isArray(results) && results.length === count;
  return Array.from({ length: count }, (_, index) => {
    const result = each ? (results[index] as { code?: unknown; msg?: unknown } | null) : undefined;
    const { code, message } = result ? { code: toCode(result.code), message: String(result.msg ?? '') } : reply;
    return { kind: 'reply', status, code, message, retryAfterMs };
  });
}
