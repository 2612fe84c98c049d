import type { Pack } from '../core/types.js';

/**
 * The one Content-Type DataProxy accepts for a form body: exactly this, because Netty compares
 * the whole header and a `;charset=UTF-8` suffix is answered with code 36 (spec 1.3).
 */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Lone surrogates, which `encodeURIComponent` refuses with a URIError. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Percent-encodes one form value. `encodeURIComponent` escapes everything Netty's decoder
 * treats as syntax: `&`, `;`, `#`, `+`, `%` (spec 1.3).
 * @example encodeFormValue('a;b') // 'a%3Bb'
 */
export function encodeFormValue(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // One message with a lone surrogate must not sink its pack: send U+FFFD in its place, as a
    // UTF-8 encoder would.
    return encodeURIComponent(value.replace(LONE_SURROGATE, '\ufffd'));
  }
}

/** Encoded length of one record inside `body`, for pack sizing. */
export function formEncodedLength(record: string): number {
  return encodeFormValue(record).length;
}

/** Fixed part of a pack's form besides its body: names, ids, dt, cnt. Used for size budgets. */
export function formOverhead(groupId: string, streamId: string): number {
  return 'groupId=&streamId=&dt=&cnt=&body='.length + encodeFormValue(groupId).length + encodeFormValue(streamId).length + 13 + 10;
}

/**
 * A pack as DataProxy's HTTP form: `groupId`, `streamId`, `dt` (ms), `cnt`, and `body` = the
 * records joined by `\n` (the official Java sender's convention, spec 1.5).
 * @example packToForm(pack) // 'groupId=g&streamId=s&dt=1700000000000&cnt=2&body=a%0Ab'
 */
export function packToForm(pack: Pick<Pack, 'groupId' | 'streamId' | 'dt' | 'records' | 'wire'>): string {
  const body = pack.wire ?? pack.records.map(encodeFormValue).join('%0A');
  return `groupId=${encodeFormValue(pack.groupId)}&streamId=${encodeFormValue(pack.streamId)}&dt=${Math.trunc(pack.dt)}&cnt=${pack.records.length}&body=${body}`;
}

/** A form value could not be decoded (a malformed `%` escape). */
export class FormDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormDecodeError';
  }
}

/**
 * Parses a form the way DataProxy's Netty `QueryStringDecoder` does: `&` and `;` both split,
 * `+` is a space, an unescaped `#` ends the text, the first value of a repeated name wins.
 * Throws `FormDecodeError` on a malformed escape (DataProxy answers those with code 2147483647).
 * @example parseForm('a=1;b=x+y') // Map { 'a' => '1', 'b' => 'x y' }
 */
export function parseForm(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  const end = text.indexOf('#');
  const usable = end === -1 ? text : text.slice(0, end);
  for (const part of usable.split(/[&;]/)) {
    if (!part) continue;
    const equals = part.indexOf('=');
    const name = decodeComponent(equals === -1 ? part : part.slice(0, equals));
    const value = equals === -1 ? '' : decodeComponent(part.slice(equals + 1));
    if (!fields.has(name)) fields.set(name, value);
  }
  return fields;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch (error) {
    throw new FormDecodeError(`malformed percent-encoding near "${text.slice(0, 40)}": ${String(error)}`);
  }
}
