import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createFflateGzip } from '../../src/adapters/compression/fflate.js';
import { createGzip } from '../../src/adapters/compression/gzip.js';
import { createZlibGzip, type ZlibModule } from '../../src/adapters/compression/node-zlib.js';
import { portableDeps } from '../../src/runtimes/portable.js';
import type { Compressor } from '../../src/core/types.js';

const text = (s: string) => new TextEncoder().encode(s);
/** Byte equality; vitest's deep toEqual walks 1 MiB element by element and takes seconds. */
const expectSame = (actual: Uint8Array, expected: Uint8Array) => {
  expect(actual.byteLength).toBe(expected.byteLength);
  expect(Buffer.compare(actual, expected)).toBe(0);
};
/** 1 MiB: half compressible records, half random bytes (the worst case for deflate). */
const large = new Uint8Array(1 << 20);
large.set(text('{"#event_name":"view","#distinct_id":"d1"}\n'.repeat(12_000)).subarray(0, 1 << 19));
large.set(randomBytes(1 << 19), 1 << 19);

const compressors: Array<[string, () => Compressor]> = [
  ['native', () => createGzip({ native: true })],
  ['node-zlib (the default on Node)', () => createZlibGzip(portableDeps().zlib as ZlibModule)],
  ['lazy fflate', () => createGzip({ native: false })],
  ['fflate', () => createFflateGzip()],
];

describe.each(compressors)('%s gzip', (_label, make) => {
  it.each([
    ['empty', new Uint8Array(0)],
    ['small', text('{"a":"é"}\n{"b":2}')],
    ['1 MiB', large],
  ])('round-trips %s input as standard gzip', async (_size, input) => {
    const compressor = make();
    const packed = await compressor.gzip(input);
    // RFC 1952 magic and deflate method.
    expect([...packed.subarray(0, 3)]).toEqual([0x1f, 0x8b, 8]);
    expectSame(await compressor.gunzip(packed), input);
    // Readable by an independent implementation (node:zlib), and reading one.
    expectSame(gunzipSync(packed), input);
    expectSame(await compressor.gunzip(new Uint8Array(gzipSync(input))), input);
  });

  it('rejects a corrupt input', async () => {
    await expect(make().gunzip(text('not gzip'))).rejects.toThrow();
  });
});

describe('createGzip', () => {
  it('picks the runtime gzip where there is one', () => {
    expect(createGzip().name).toBe('compression-stream');
  });

  it("finds Node's own zlib for the root entry's bridge route, with no import", async () => {
    // Node 20.16+: process.getBuiltinModule, which a browser or Workers bundler does not follow.
    const zlib = await import('node:zlib');
    expect(portableDeps().zlib?.gzip).toBe(zlib.gzip);
    expect(createGzip({ native: false }).name).toBe('fflate');
  });

  it('native and fflate read each other', async () => {
    const native = createGzip({ native: true });
    const fflate = createFflateGzip();
    const input = text('cross-decode '.repeat(1_000));
    expectSame(await fflate.gunzip(await native.gzip(input)), input);
    expectSame(await native.gunzip(await fflate.gzip(input)), input);
  });
});

describe('createZlibGzip', () => {
  it('compresses at zlib level 1 unless told otherwise, standard gzip either way', async () => {
    const zlib = await import('node:zlib');
    const input = text('{"#event_name":"view","#distinct_id":"d1","properties":{"n":1}}\n'.repeat(2_000));
    const fast = await createZlibGzip(zlib).gzip(input);
    const best = await createZlibGzip(zlib, 9).gzip(input);
    expect(Buffer.compare(fast, gzipSync(input, { level: 1 }))).toBe(0);
    expect(Buffer.compare(best, gzipSync(input, { level: 9 }))).toBe(0);
    expectSame(gunzipSync(fast), input);
  });
});

