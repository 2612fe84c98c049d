/** One record after inspection. */
export interface InspectedRecord {
  /** The record text to forward (with `#ip` added when it was missing on a ThinkingData record). */
  text: string;
  /** The record's `#uuid`, when it is a JSON object that has one. */
  uuid?: string;
}

/**
 * Reads what the bridge needs from one record: its `#uuid` (for dedup) and whether it is a
 * ThinkingData record without `#ip`. DataProxy records the TCP peer as the client (spec 1.10),
 * which behind the bridge is the bridge itself, so the real client address is written into
 * `#ip` here. The text is edited, not re-serialised: `JSON.stringify(JSON.parse(x))` would
 * round big integers and drop the sender's exact bytes. Records that are not JSON objects (raw
 * `send()` messages) pass through untouched.
 * @example inspectRecord('{"#type":"track","#uuid":"u1"}', '203.0.113.7') // { text: '{"#ip":"203.0.113.7","#type":"track","#uuid":"u1"}', uuid: 'u1' }
 */
export function inspectRecord(text: string, clientIp: string | undefined): InspectedRecord {
  const open = firstNonSpace(text);
  if (open === -1 || text.charCodeAt(open) !== 0x7b /* { */) return { text };
  const object = parseObject(text);
  if (object === undefined) return { text };
  const uuid = typeof object['#uuid'] === 'string' && object['#uuid'] !== '' ? object['#uuid'] : undefined;
  if (clientIp === undefined || typeof object['#type'] !== 'string' || '#ip' in object) return { text, uuid };
  const rest = text.slice(open + 1);
  const separator = rest.trimStart().startsWith('}') ? '' : ',';
  return { text: `${text.slice(0, open)}{"#ip":${JSON.stringify(clientIp)}${separator}${rest}`, uuid };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    // Not JSON: a raw message such as a CSV line. It carries no uuid and gets no `#ip`.
    return undefined;
  }
}

function firstNonSpace(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return index;
  }
  return -1;
}
