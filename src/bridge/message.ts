import { FormDecodeError, parseForm } from '../dataproxy/form.js';
import { RAW_PACK_MARK } from '../dataproxy/multi-pack.js';
import { RequestError } from './reply.js';
import type { SinkPack } from './sink.js';

/** One pack read from a `/dataproxy/message` request, with its write key (stripped before forwarding). */
export interface MessagePack extends SinkPack {
  writeKey?: string;
}

/**
 * Upper bound of packs in one request, so one request cannot fan out without limit.
 * @example if (lines.length > MAX_PACKS_PER_REQUEST) refuse();
 */
export const MAX_PACKS_PER_REQUEST = 1000;

/**
 * Reads a `/dataproxy/message` body: one DataProxy form, or the multi-pack list of form lines
 * and raw packs (`src/dataproxy/multi-pack.ts`). Each pack is checked as DataProxy checks a form
 * (spec 1.4, 1.7) and refused with DataProxy's code and text, but as HTTP 400, so that nothing
 * of a bad request is forwarded. A form's `body` is split into records on `\n` unless `cnt` is
 * 1 (a single record may contain `\n`; DataProxy's default `cnt` is 1).
 * @example parseMessageBody('groupId=g&streamId=s&cnt=2&body=a%0Ab', Date.now()) // [{ groupId: 'g', streamId: 's', records: ['a', 'b'], ... }]
 * @example parseMessageBody('@groupId=g&streamId=s&cnt=2\na\nb', Date.now()) // the same pack
 */
export function parseMessageBody(text: string, now: number): MessagePack[] {
  const packs: MessagePack[] = [];
  const lines = text.split('\n');
  const numbered = lines.length > 1;
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (packs.length >= MAX_PACKS_PER_REQUEST) {
      throw new RequestError(400, 'too_many_packs', `more than ${MAX_PACKS_PER_REQUEST} packs in one request`);
    }
    if (!line.startsWith(RAW_PACK_MARK)) {
      packs.push(readPack(parseFields(line, index + 1, numbered), index + 1, numbered, now));
      continue;
    }
    const fields = parseFields(line.slice(RAW_PACK_MARK.length), index + 1, numbered);
    const cnt = Number(fields.get('cnt'));
    const where = `line ${index + 1}: `;
    if (!Number.isInteger(cnt) || cnt < 1) throw refuse(where, '2147483647', 'a raw pack needs cnt, a positive integer');
    if (index + cnt >= lines.length) throw refuse(where, '2147483647', `cnt=${cnt} but ${lines.length - index - 1} lines follow`);
    // The records are the next `cnt` lines as they are, nothing decoded or trimmed.
    packs.push(readPack(fields, index + 1, numbered, now, lines.slice(index + 1, index + 1 + cnt)));
    index += cnt;
  }
  if (packs.length === 0) throw new RequestError(400, 'empty_body', 'body holds no DataProxy form', { code: '100' });
  return packs;
}

function parseFields(line: string, number: number, numbered: boolean): Map<string, string> {
  try {
    return parseForm(line);
  } catch (error) {
    if (!(error instanceof FormDecodeError)) throw error;
    throw new RequestError(400, 'bad_form', `${numbered ? `line ${number}: ` : ''}${error.message}`, { cause: error });
  }
}

/** A pack from its form fields, or from a raw pack's header fields and its record lines. */
function readPack(fields: Map<string, string>, number: number, numbered: boolean, now: number, rawRecords?: string[]): MessagePack {
  const where = numbered ? `line ${number}: ` : '';
  const groupId = (fields.get('groupId') ?? '').trim();
  const streamId = (fields.get('streamId') ?? '').trim();
  // Same order and texts as DataProxy's handler (spec 1.7).
  if (groupId === '') throw refuse(where, '100', 'Field groupId must exist and not blank!');
  if (streamId === '') throw refuse(where, '101', 'Field streamId must exist and not blank!');
  const records = rawRecords ?? formRecords(fields, where);
  if (rawRecords && !rawRecords.some((record) => record.trim() !== '')) throw refuse(where, '111', 'Field body is Blank!');
  const dtText = fields.get('dt') ?? '';
  const dt = /^\d{1,16}$/.test(dtText) ? Number(dtText) : now;
  const writeKey = fields.get('writeKey');
  return { groupId, streamId, dt, records, ...(writeKey === undefined ? {} : { writeKey }) };
}

function formRecords(fields: Map<string, string>, where: string): string[] {
  const body = fields.get('body');
  if (body === undefined) throw refuse(where, '103', 'Field body is not exist!');
  if (body.trim() === '') throw refuse(where, '111', 'Field body is Blank!');
  const cnt = Number(fields.get('cnt') ?? '1');
  return cnt === 1 || !Number.isInteger(cnt) ? [body] : body.split('\n');
}

function refuse(where: string, code: string, message: string): RequestError {
  return new RequestError(400, 'bad_form', `${where}${message}`, { code });
}

/**
 * The body text of a `/dataproxy/message` request from its content type. Form bodies with or
 * without `;charset` are accepted (browsers add it; the bridge re-encodes before forwarding, as
 * DataProxy rejects it, spec 1.3), and `text/plain`, which the SDK's multi-pack bodies and
 * `sendBeacon` strings carry. A missing type is read as a form (a `sendBeacon` Blob without type).
 * @example checkMessageContentType('application/x-www-form-urlencoded;charset=UTF-8') // passes
 */
export function checkMessageContentType(contentType: string | null): void {
  if (contentType === null || contentType.trim() === '') return;
  const essence = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (essence === 'application/x-www-form-urlencoded' || essence === 'text/plain') return;
  throw new RequestError(415, 'bad_content_type', `content type ${essence} is not accepted; send application/x-www-form-urlencoded or text/plain`, {
    code: '36',
  });
}
