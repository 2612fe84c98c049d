import type { FrameZip } from './frame.js';

/*
 * Raw-block Snappy compression (spec inlong-tcp §4: a varint length, then literal and copy
 * elements; no framing format, no stream header), as DataProxy's downstream reads it with
 * `org.xerial.snappy.Snappy.uncompress`. The algorithm is snappyjs's compressor (MIT, Zhipeng
 * Jia; itself Google's snappy `CompressFragment`), kept here as ESM: both npm candidates ship
 * CommonJS only, and a CommonJS module anywhere behind a lazy import makes esbuild (the size
 * bench's bundler, and wrangler's) put its interop helpers in a chunk that every entry's first
 * load imports. Tests decompress this output with snappyjs itself.
 */

const BLOCK_SIZE = 1 << 16;
const MAX_HASH_BITS = 14;
/** Below this many bytes a fragment is one literal (snappy's `kInputMarginBytes`). */
const INPUT_MARGIN = 15;
const tables: Array<Uint16Array | undefined> = [];

const hash = (key: number, shift: number): number => Math.imul(key, 0x1e35a7bd) >>> shift;
const load32 = (bytes: Uint8Array, at: number): number =>
  ((bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16) | ((bytes[at + 3] as number) << 24)) >>> 0;
const equals32 = (bytes: Uint8Array, a: number, b: number): boolean =>
  bytes[a] === bytes[b] && bytes[a + 1] === bytes[b + 1] && bytes[a + 2] === bytes[b + 2] && bytes[a + 3] === bytes[b + 3];

function emitLiteral(input: Uint8Array, from: number, length: number, out: Uint8Array, at: number): number {
  if (length <= 60) {
    out[at++] = (length - 1) << 2;
  } else if (length <= 256) {
    out[at++] = 60 << 2;
    out[at++] = length - 1;
  } else {
    out[at++] = 61 << 2;
    out[at++] = (length - 1) & 0xff;
    out[at++] = (length - 1) >>> 8;
  }
  // A view per short literal costs more than copying its bytes one by one.
  if (length > 64) out.set(input.subarray(from, from + length), at);
  else for (let index = 0; index < length; index++) out[at + index] = input[from + index] as number;
  return at + length;
}

function emitCopyUpTo64(out: Uint8Array, at: number, offset: number, length: number): number {
  if (length < 12 && offset < 2048) {
    out[at] = 1 + ((length - 4) << 2) + ((offset >>> 8) << 5);
    out[at + 1] = offset & 0xff;
    return at + 2;
  }
  out[at] = 2 + ((length - 1) << 2);
  out[at + 1] = offset & 0xff;
  out[at + 2] = offset >>> 8;
  return at + 3;
}

function emitCopy(out: Uint8Array, at: number, offset: number, length: number): number {
  let left = length;
  while (left >= 68) {
    at = emitCopyUpTo64(out, at, offset, 64);
    left -= 64;
  }
  if (left > 64) {
    at = emitCopyUpTo64(out, at, offset, 60);
    left -= 60;
  }
  return emitCopyUpTo64(out, at, offset, left);
}

function compressFragment(input: Uint8Array, start: number, size: number, out: Uint8Array, at: number): number {
  let bits = 1;
  while (1 << bits <= size && bits <= MAX_HASH_BITS) bits++;
  bits--;
  const shift = 32 - bits;
  const table = (tables[bits] ??= new Uint16Array(1 << bits));
  table.fill(0);
  const end = start + size;
  let nextEmit = start;
  if (size >= INPUT_MARGIN) {
    const limit = end - INPUT_MARGIN;
    let ip = start + 1;
    let nextHash = hash(load32(input, ip), shift);
    for (;;) {
      // Find a 4-byte match, skipping faster through data that does not compress.
      let skip = 32;
      let nextIp = ip;
      let candidate: number;
      do {
        ip = nextIp;
        const current = nextHash;
        nextIp = ip + (skip++ >>> 5);
        if (ip > limit) return nextEmit < end ? emitLiteral(input, nextEmit, end - nextEmit, out, at) : at;
        nextHash = hash(load32(input, nextIp), shift);
        candidate = start + (table[current] as number);
        table[current] = ip - start;
      } while (!equals32(input, ip, candidate));
      at = emitLiteral(input, nextEmit, ip - nextEmit, out, at);
      do {
        const base = ip;
        let matched = 4;
        while (ip + matched < end && input[ip + matched] === input[candidate + matched]) matched++;
        ip += matched;
        at = emitCopy(out, at, base - candidate, matched);
        nextEmit = ip;
        if (ip >= limit) return nextEmit < end ? emitLiteral(input, nextEmit, end - nextEmit, out, at) : at;
        table[hash(load32(input, ip - 1), shift)] = ip - 1 - start;
        const current = hash(load32(input, ip), shift);
        candidate = start + (table[current] as number);
        table[current] = ip - start;
      } while (equals32(input, ip, candidate));
      ip++;
      nextHash = hash(load32(input, ip), shift);
    }
  }
  return nextEmit < end ? emitLiteral(input, nextEmit, end - nextEmit, out, at) : at;
}

/**
 * One raw Snappy block of `input`.
 * @example snappyCompress(new TextEncoder().encode('hello hello hello hello')) // 0x17, then literals and copies
 */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(32 + input.length + Math.floor(input.length / 6));
  let at = 0;
  let value = input.length;
  do {
    out[at++] = (value & 0x7f) | (value > 0x7f ? 0x80 : 0);
    value >>>= 7;
  } while (value > 0);
  for (let from = 0; from < input.length; from += BLOCK_SIZE) at = compressFragment(input, from, Math.min(BLOCK_SIZE, input.length - from), out, at);
  return out.subarray(0, at);
}

/**
 * Snappy for frame bodies longer than `minZipLen` bytes (C++ `enable_zip` / `min_zip_len`).
 * @example encodeFrame(pack, snappyZip(512)) // bodies over 512 bytes go compressed
 */
export function snappyZip(minZipLen: number): FrameZip {
  return { minZipLen, compress: snappyCompress };
}
