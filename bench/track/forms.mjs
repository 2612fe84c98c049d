// Counting packs and records in inlong-js multi-pack form bodies (one form per line, each with
// its `cnt`): the sinks answer one result per pack, and the wire part counts records per form.

const CNT = Buffer.from('&cnt=');

/**
 * Packs and records in a multi-pack form body, read from the bytes with memchr-speed searches
 * so the sink costs the SDK under test next to nothing.
 */
export function countFormBytes(bytes) {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let packs = 0;
  let records = 0;
  let start = 0;
  while (start < buffer.length) {
    const at = buffer.indexOf(CNT, start);
    if (at === -1) break;
    let index = at + CNT.length;
    let value = 0;
    while (buffer[index] >= 0x30 && buffer[index] <= 0x39) value = value * 10 + buffer[index++] - 0x30;
    packs += 1;
    records += value;
    const newline = buffer.indexOf(0x0a, index);
    if (newline === -1) break;
    start = newline + 1;
  }
  return { packs, records };
}

/** The same count from text (a form line, a body the bridge stand-in received). */
export function countForms(text) {
  let packs = 0;
  let records = 0;
  for (const match of text.matchAll(/(?:^|&)cnt=(\d+)/gm)) {
    packs += 1;
    records += Number(match[1]);
  }
  return { packs, records };
}

export const latin1 = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
