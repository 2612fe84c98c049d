// The in-memory sink for inlong-js: an injected `Transport` (bridge mode, so packs are gzipped).
import { countFormBytes, latin1 } from './forms.mjs';

/**
 * gzip the way inlong-js does it on Node ≥ 18 (src/adapters/compression/gzip.ts picks
 * `CompressionStream`), wrapped to note how many packs and records each body holds: the sink
 * must answer one result per pack, and cannot read a gzip body without paying to inflate it.
 */
function countingGzip(notes) {
  const pipe = async (data, transform) => new Uint8Array(await new Response(new Blob([data]).stream().pipeThrough(transform)).arrayBuffer());
  return {
    name: 'compression-stream',
    async gzip(data) {
      const out = await pipe(data, new CompressionStream('gzip'));
      notes.set(out, data);
      return out;
    },
    gunzip: (data) => pipe(data, new DecompressionStream('gzip')),
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
