let encoder: TextEncoder | undefined;

/**
 * UTF-8 byte length of a string (a lone surrogate counts as the 3 bytes of the U+FFFD it becomes
 * on the wire, as `TextEncoder` encodes it). Every runtime this package targets has `TextEncoder`.
 * @example utf8Length('é') // 2
 */
export function utf8Length(text: string): number {
  return (encoder ??= new TextEncoder()).encode(text).length;
}
