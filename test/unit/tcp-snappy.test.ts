/**
 * Our ESM raw-block Snappy compressor against snappyjs's decompressor (the format DataProxy's
 * downstream reads): every size around the 64 KiB block and hash-table edges, text and noise.
 */
import * as snappyjs from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { snappyCompress } from '../../src/dataproxy/tcp/snappy.js';

function noise(length: number, seed: number): Uint8Array {
  let state = seed >>> 0;
  return Uint8Array.from({ length }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state >>> 24;
  });
}

const text = (length: number): Uint8Array => {
  const line = '{"#type":"track","#event_name":"view_item","#uuid":"6f1c2a51-0000-4000-8000-000000000001","properties":{"price":19.99,"é€😀":true}}\n';
  return new TextEncoder().encode(line.repeat(Math.ceil(length / line.length))).subarray(0, length);
};

describe('snappyCompress', () => {
  const sizes = [0, 1, 4, 14, 15, 16, 17, 60, 61, 255, 256, 257, 4096, 16_383, 16_384, 65_535, 65_536, 65_537, 131_073, 500_000];
  it.each(sizes)('round-trips %i bytes of text and of noise through snappyjs.uncompress', (size) => {
    for (const input of [text(size), noise(size, size + 1)]) {
      const block = snappyCompress(input);
      expect(snappyjs.uncompress(block)).toEqual(input);
      expect(block.length).toBeLessThanOrEqual(32 + size + Math.floor(size / 6));
    }
  });

  it('shrinks repetitive records as snappyjs does, to within a few bytes', () => {
    const input = text(65_000);
    const ours = snappyCompress(input).length;
    const theirs = snappyjs.compress(input).length;
    expect(ours).toBeLessThan(input.length / 4);
    expect(Math.abs(ours - theirs)).toBeLessThan(theirs * 0.05);
  });

  it('round-trips 200 random mixes of text and noise', () => {
    for (let round = 0; round < 200; round++) {
      const parts = [text((round * 97) % 3000), noise((round * 131) % 700, round), text((round * 53) % 90_000)];
      const input = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
      let at = 0;
      for (const part of parts) {
        input.set(part, at);
        at += part.length;
      }
      expect(snappyjs.uncompress(snappyCompress(input))).toEqual(input);
    }
  });
});
