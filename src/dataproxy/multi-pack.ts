import type { Pack } from '../core/types.js';
import { packToForm, encodeFormValue } from './form.js';
import { readCodeAndMessage, toCode } from './reply.js';
import type { Outcome } from '../core/retry-policy.js';

/**
 * The bridge extension of DataProxy's form protocol, for clients that send several streams in
 * one request (browsers, whose beacons and connections are scarce). The body is a list of packs,
 * each in one of two shapes:
 *
 * - a DataProxy form on one line (form encoding escapes `\n`), so a plain single-form request
 *   is a valid body and any DataProxy client works;
 * - a raw pack: a header line `@groupId=…&streamId=…&dt=…&cnt=N` (form-encoded fields, no
 *   `body`) followed by its N records, one per line, as they are. This is what inlong-js sends
 *   whenever no record holds a `\n`: percent-encoding JSON makes it about 60 % longer, costs the
 *   sender an `encodeURIComponent` per record and gzip more input.
 *
 * Query flags, because `sendBeacon` cannot set headers: `compress=gzip` for a gzip body.
 * The reply adds `results`, one `{code, msg}` per pack, in order.
 */
export const MULTI_PACK_PATH = '/dataproxy/message';

/** What a multi-pack body is labelled: plain text, which needs no CORS preflight either. */
export const MULTI_PACK_CONTENT_TYPE = 'text/plain;charset=UTF-8';

/** First character of a raw pack's header line (a form line starts with a field name). */
export const RAW_PACK_MARK = '@';

type WirePack = Pick<Pack, 'groupId' | 'streamId' | 'dt' | 'records' | 'wire'>;

/** The body for `packs`; a write key, when given, rides in each pack as `writeKey`. */
export function buildMultiPackBody(packs: readonly WirePack[], writeKey?: string): string {
  return bodyLines(packs, writeKey).join('\n');
}

/**
 * The same body as UTF-8 bytes, written line by line into one buffer: a gzipped request never
 * builds the joined text and then a copy of it in bytes (two copies of every record, per request).
 */
export function encodeMultiPackBody(packs: readonly WirePack[], writeKey?: string): Uint8Array {
  const lines = bodyLines(packs, writeKey);
  const encoder = new TextEncoder();
  // Records are mostly ASCII: start at the UTF-16 length and grow when a line does not fit.
  let buffer: Uint8Array = new Uint8Array(lines.reduce((total, line) => total + line.length + 1, 64));
  let at = 0;
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index] ?? '';
    for (;;) {
      const { read, written } = encoder.encodeInto(line, buffer.subarray(at));
      at += written;
      if (read === line.length) break;
      line = line.slice(read);
      buffer = grown(buffer, at, line.length * 3 + 1);
    }
    if (index === lines.length - 1) break;
    if (at === buffer.length) buffer = grown(buffer, at, 1);
    buffer[at++] = 0x0a;
  }
  return buffer.subarray(0, at);
}

function grown(buffer: Uint8Array, used: number, more: number): Uint8Array {
  const next = new Uint8Array(Math.max(buffer.length * 2, used + more));
  next.set(buffer.subarray(0, used));
  return next;
}

/** Each pack as its lines: one form line, or a raw pack's header line and then its records. */
function bodyLines(packs: readonly WirePack[], writeKey: string | undefined): string[] {
  const suffix = writeKey ? `&writeKey=${encodeFormValue(writeKey)}` : '';
  const lines: string[] = [];
  for (const pack of packs) {
    const { records } = pack;
    if (records.some((record) => record.includes('\n'))) {
      lines.push(packToForm(pack) + suffix);
      continue;
    }
    lines.push(`${RAW_PACK_MARK}groupId=${encodeFormValue(pack.groupId)}&streamId=${encodeFormValue(pack.streamId)}&dt=${Math.trunc(pack.dt)}&cnt=${records.length}${suffix}`);
    for (const record of records) lines.push(record);
  }
  return lines;
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
