import { FormDecodeError, parseForm } from '../dataproxy/form.js';
import { decodeUtf8 } from './body.js';
import { RequestError } from './reply.js';

/** Records (as JSON text) and the app id a ThinkingData body carried. */
export interface TdBatch {
  records: string[];
  appId?: string;
}

/**
 * Reads a `/sync_server` body: a JSON array of record objects (spec/thinkingdata.md "Batch").
 * Records keep their exact text, sliced from the array, so numbers are not re-rounded.
 * @example parseTdArray('[{"#type":"track"},{"#type":"user_set"}]') // ['{"#type":"track"}', '{"#type":"user_set"}']
 */
export function parseTdArray(text: string): string[] {
  const value = parseJson(text);
  if (!Array.isArray(value)) {
    if (isObject(value)) return [text.trim()];
    throw new RequestError(400, 'bad_json', 'body must be a JSON array of record objects');
  }
  value.forEach((item, index) => {
    if (!isObject(item)) throw new RequestError(400, 'bad_json', `element ${index} is not a JSON object`);
  });
  return sliceArrayObjects(text);
}

/**
 * Reads a ThinkingData client body (`/sync_data`, `/sync_js`): the envelope
 * `{"#app_id": ..., "data": [records], "#flush_time": ...}` as JSON text, as a form field
 * `data` (the web SDK sends base64 of the JSON there), or a bare JSON array.
 * @example parseTdClientBody('{"#app_id":"a","data":[{"#type":"track"}]}') // { records: ['{"#type":"track"}'], appId: 'a' }
 */
export function parseTdClientBody(text: string, isForm: boolean): TdBatch {
  let payload = text.trim();
  let formAppId: string | undefined;
  if (isForm || /^[\w#]+=/.test(payload)) {
    const fields = readForm(payload);
    payload = (fields.get('data') ?? '').trim();
    formAppId = fields.get('appid') ?? undefined;
    if (payload === '') throw new RequestError(400, 'bad_form', 'form field data is missing');
    if (!payload.startsWith('{') && !payload.startsWith('[')) payload = decodeBase64Utf8(payload);
  }
  if (payload.startsWith('[')) return { records: parseTdArray(payload), appId: formAppId };
  const envelope = parseJson(payload);
  if (!isObject(envelope)) throw new RequestError(400, 'bad_json', 'body must be a JSON object with a data array');
  const data = envelope.data;
  if (!Array.isArray(data)) throw new RequestError(400, 'bad_json', 'field data must be an array of record objects');
  const records = data.map((item, index) => {
    if (!isObject(item)) throw new RequestError(400, 'bad_json', `data[${index}] is not a JSON object`);
    return JSON.stringify(item);
  });
  const appId = typeof envelope['#app_id'] === 'string' ? envelope['#app_id'] : formAppId;
  return { records, appId };
}

/**
 * Parses a form, turning a malformed escape into a 400.
 * @example readForm('data=%7B%7D&dryRun=1').get('dryRun') // '1'
 */
export function readForm(text: string): Map<string, string> {
  try {
    return parseForm(text);
  } catch (error) {
    if (error instanceof FormDecodeError) throw new RequestError(400, 'bad_form', error.message, { cause: error });
    throw error;
  }
}

/**
 * `JSON.parse` with a 400 that says where the JSON broke.
 * @example parseJson('{"a":1}') // { a: 1 }
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new RequestError(400, 'bad_json', `body is not valid JSON (${detail})`, { cause: error });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of each top-level object in a JSON array already known to be valid, by tracking depth and strings. */
function sliceArrayObjects(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c /* \ */) index++;
      else if (code === 0x22 /* " */) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      if (depth === 1 && code === 0x7b) start = index;
      depth++;
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      depth--;
      if (depth === 1 && code === 0x7d) out.push(text.slice(start, index + 1));
    }
  }
  return out;
}

function decodeBase64Utf8(text: string): string {
  let binary: string;
  try {
    // The web SDK's base64 may arrive URL-safe or with spaces where `+` was form-decoded.
    binary = atob(text.replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/'));
  } catch (error) {
    throw new RequestError(400, 'bad_base64', 'form field data is neither JSON nor base64', { cause: error });
  }
  return decodeUtf8(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}
