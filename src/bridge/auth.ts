import { RequestError } from './reply.js';

export interface StreamAuth {
  /**
   * Throws a `RequestError` unless `(groupId, streamId)` is allowlisted (403) and, when that
   * stream has a write key, `writeKey` matches it (401). The key itself never appears in errors.
   */
  check(groupId: string, streamId: string, writeKey: string | undefined): void;
}

/**
 * The group/stream allowlist (`null` = any stream, the embedded mode) and per-stream write keys.
 * Write keys are compared in constant time, so response timing does not leak a key's prefix.
 * @example
 * const auth = createStreamAuth({ streams: new Set(['g/s']), writeKeys: new Map([['g/s', 'k1']]) });
 * auth.check('g', 's', 'k1'); // passes
 * auth.check('g', 'other', undefined); // throws 403
 */
export function createStreamAuth(options: { streams: ReadonlySet<string> | null; writeKeys: ReadonlyMap<string, string> }): StreamAuth {
  return {
    check(groupId, streamId, writeKey) {
      const key = `${groupId}/${streamId}`;
      if (options.streams !== null && !options.streams.has(key)) {
        throw new RequestError(403, 'unknown_stream', `stream ${key} is not allowed on this bridge`);
      }
      const expected = options.writeKeys.get(key);
      if (expected !== undefined && !constantTimeEqual(writeKey ?? '', expected)) {
        throw new RequestError(401, 'bad_write_key', `write key missing or wrong for stream ${key}`);
      }
    },
  };
}

/**
 * Compares two strings in time that depends only on their lengths.
 * @example constantTimeEqual('abc', 'abc') // true
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  let difference = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let index = 0; index < length; index++) difference |= (left[index] ?? 0) ^ (right[index] ?? 0);
  return difference === 0;
}
