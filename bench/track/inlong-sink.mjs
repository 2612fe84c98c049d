// The in-memory sink for inlong-js: an injected `Transport` (bridge mode, so packs are gzipped).
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { countFormBytes, latin1 } from './forms.mjs';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/**
 * gzip the way inlong-js does it on Node 20.16+ (src/runtimes/portable.ts picks
 * node:zlib's one-shot `gzip` at level 1, test/unit/gzip.test.ts holds it to that), wrapped to
 * note how many packs and records each body holds: the sink must answer one result per pack,
 * and cannot read a gzip body without paying to inflate it.
 */
function countingGzip(notes) {
  return {
    name: 'node-zlib',
    async gzip(data) {
      const out = new Uint8Array(await gzip(data, { level: 1 }));
      notes.set(out, data);
      return out;
    },
    gunzip: async (data) => new Uint8Array(await gunzip(data)),
  };
}

/** A `Transport` that counts what it is given and acknowledges every pack, as the bridge does. */
export function createInlongSink({ capture = false } = {}) {
  const notes = new WeakMap();
  const stats = { requests: 0, wireBytes: 0, records: 0, captured: [] };
  const transport = {
    name: 'memory-sink',
    async send(request) {
      const plain = typeof request.body === 'string';
      const raw = plain ? Buffer.from(request.body) : (notes.get(request.body) ?? request.body);
      const wire = plain ? raw.byteLength : request.body.byteLength;
      const { packs, records } = countFormBytes(raw);
      stats.requests += 1;
      stats.wireBytes += wire;
      stats.records += records;
      if (capture) stats.captured.push({ raw: latin1(raw), wire, records });
      const results = Array.from({ length: packs }, () => ({ code: '0', msg: 'Ok' }));
      return { status: 200, body: JSON.stringify({ code: '0', msg: 'Ok', results }) };
    },
  };
  return { transport, compressor: countingGzip(notes), stats };
}
