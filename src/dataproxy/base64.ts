/**
 * Standard base64 of a string's UTF-8 bytes (Basic auth for the Manager). `btoa` alone throws on
 * any character above U+00FF, and a Manager secret may hold one, so it gets the UTF-8 bytes as
 * Latin-1 characters. `btoa` and `TextEncoder` are globals in every runtime this package targets.
 * @example base64Utf8('id:key') // 'aWQ6a2V5'
 */
export function base64Utf8(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}
