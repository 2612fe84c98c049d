let encoder: TextEncoder | undefined;
/** Reused for counting: `encodeInto` a scratch buffer measures without allocating per call. */
let scratch = new Uint8Array(0);
/** Records longer than this are counted with a fresh buffer rather than growing `scratch`. */
const SCRATCH_LIMIT = 1 << 16;

/**
 * UTF-8 byte length of a string (a lone surrogate counts as the 3 bytes of the U+FFFD it becomes
 * on the wire, as `TextEncoder` encodes it). This runs for every record, so it counts by
 * encoding into a kept buffer: several times cheaper than allocating the bytes each time.
 * @example utf8Length('é') // 2
 */
export function utf8Length(text: string): number {
  encoder ??= new TextEncoder();
  // A UTF-16 unit never takes more than 3 UTF-8 bytes.
  const most = text.length * 3;
  if (most > SCRATCH_LIMIT) return encoder.encode(text).length;
  if (scratch.length < most) scratch = new Uint8Array(SCRATCH_LIMIT);
  return encoder.encodeInto(text, scratch).written;
}
