import { compress } from 'snappyjs';
import type { FrameZip } from './frame.js';

/**
 * Raw-block Snappy (spec inlong-tcp §4: no framing format, no stream header) from snappyjs, a
 * pure-JavaScript implementation that runs unchanged on Node, Deno, Workers and in browsers.
 * It is given `Uint8Array`s only, so it never takes its Node `Buffer` path.
 * @example encodeFrame(pack, snappyZip(512)) // bodies over 512 bytes go compressed
 */
export function snappyZip(minZipLen: number): FrameZip {
  return { minZipLen, compress: (bytes) => compress(bytes) };
}
