// Reading inlong-js multi-pack bodies (src/dataproxy/multi-pack.ts): each pack is a DataProxy
// form on one line, or a raw pack, a header line `@groupId=…&cnt=N` and then its N record lines.
// The sinks answer one result per pack; the wire part counts records and bytes per pack.

const NEWLINE = 0x0a;
const RAW_MARK = 0x40; // '@'
const CNT = Buffer.from('cnt=');

/** `cnt` of the form fields in `buffer[start, end)`; 1 when absent, as DataProxy reads it. */
function readCount(buffer, start, end) {
  let at = buffer.indexOf(CNT, start);
  while (at !== -1 && at < end && !(at === start || buffer[at - 1] === 0x26 || buffer[at - 1] === RAW_MARK)) at = buffer.indexOf(CNT, at + 1);
  if (at === -1 || at >= end) return 1;
  let index = at + CNT.length;
  let value = 0;
  while (buffer[index] >= 0x30 && buffer[index] <= 0x39) value = value * 10 + buffer[index++] - 0x30;
  return value;
}

/**
 * Packs and records in a multi-pack body, read from the bytes with memchr-speed searches so the
 * sink costs the SDK under test next to nothing.
 */
export function countFormBytes(bytes) {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let packs = 0;
  let records = 0;
  let start = 0;
  while (start < buffer.length) {
    let end = buffer.indexOf(NEWLINE, start);
    if (end === -1) end = buffer.length;
    if (end === start) {
      start += 1;
      continue;
    }
    const count = readCount(buffer, start, end);
    packs += 1;
    records += count;
    if (buffer[start] === RAW_MARK) {
      // Skip the pack's record lines.
      for (let line = 0; line < count && end < buffer.length; line++) {
        const next = buffer.indexOf(NEWLINE, end + 1);
        end = next === -1 ? buffer.length : next;
      }
    }
    start = end + 1;
  }
  return { packs, records };
}

/**
 * The packs of a multi-pack body as text (read as latin1, so lengths are bytes): each pack's own
 * text, its record count and the bytes of its records (JSON) without separators.
 */
export function splitPacks(text) {
  const lines = text.split('\n');
  const packs = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line === '') continue;
    if (line.startsWith('@')) {
      const count = Number(new URLSearchParams(line.slice(1)).get('cnt'));
      const records = lines.slice(index + 1, index + 1 + count);
      packs.push({ text: [line, ...records].join('\n'), records: count, recordBytes: records.reduce((total, record) => total + record.length, 0) });
      index += count;
    } else {
      const fields = new URLSearchParams(line);
      const body = Buffer.from(fields.get('body') ?? '', 'utf8');
      const count = Number(fields.get('cnt') ?? '1');
      packs.push({ text: line, records: count, recordBytes: body.length - Math.max(0, count - 1) });
    }
  }
  return packs;
}

/** Packs and records of a body given as text. */
export function countForms(text) {
  const packs = splitPacks(text);
  return { packs: packs.length, records: packs.reduce((total, pack) => total + pack.records, 0) };
}

export const latin1 = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
