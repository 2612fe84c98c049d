/**
 * Netty's `QueryStringDecoder` and the Java parsing rules the DataProxy handler applies
 * (spec 1.3–1.4), kept apart from the fixture's server code.
 */
export function safePath(url: string): string | null {
  try {
    return decodeComponent(url, 0, pathEnd(url), true);
  } catch {
    return null;
  }
}

export function mergeFirstValues(into: Map<string, string>, params: Map<string, string[]>): void {
  for (const [name, values] of params) {
    const first = values[0];
    if (first !== undefined) into.set(name, first);
  }
}

// ---- Netty QueryStringDecoder (4.1), UTF-8, max 1024 params (spec 1.3) ----

const utf8 = new TextDecoder('utf-8'); // non-fatal: bad bytes become U+FFFD, like Java's new String()

export function pathEnd(uri: string): number {
  for (let i = 0; i < uri.length; i++) if (uri[i] === '?' || uri[i] === '#') return i;
  return uri.length;
}

/** Params from `s` starting at `from` (a leading `?` skipped); `&` and `;` split, `#` stops. */
export function decodeParams(s: string, from: number): Map<string, string[]> {
  const params = new Map<string, string[]>();
  if (from >= s.length) return params;
  if (s[from] === '?') from++;
  let limit = 1024;
  let nameStart = from;
  let valueStart = -1;
  let i = from;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '=') {
      if (nameStart === i) nameStart = i + 1;
      else if (valueStart < nameStart) valueStart = i + 1;
    } else if (c === '&' || c === ';') {
      if (addParam(s, nameStart, valueStart, i, params) && --limit === 0) return params;
      nameStart = i + 1;
    } else if (c === '#') {
      break;
    }
  }
  addParam(s, nameStart, valueStart, i, params);
  return params;
}

export function addParam(s: string, nameStart: number, valueStart: number, valueEnd: number, params: Map<string, string[]>): boolean {
  if (nameStart >= valueEnd) return false;
  const start = valueStart <= nameStart ? valueEnd + 1 : valueStart;
  const name = decodeComponent(s, nameStart, start - 1, false);
  const value = decodeComponent(s, start, valueEnd, false);
  const values = params.get(name);
  if (values === undefined) params.set(name, [value]);
  else values.push(value);
  return true;
}

/** Decodes `%XX` runs as UTF-8 and (outside paths) `+` as space; a bad escape throws like Netty. */
export function decodeComponent(s: string, from: number, to: number, isPath: boolean): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const c = s.charAt(i);
    if (c !== '%') {
      out += c === '+' && !isPath ? ' ' : c;
      continue;
    }
    const bytes: number[] = [];
    do {
      if (i + 3 > to) throw new Error(`unterminated escape sequence at index ${i} of: ${s}`);
      const hi = parseInt(s.charAt(i + 1), 16);
      const lo = parseInt(s.charAt(i + 2), 16);
      if (Number.isNaN(hi) || Number.isNaN(lo)) {
        throw new Error(`invalid hex byte '${s.slice(i + 1, i + 3)}' at index ${i + 1} of '${s}'`);
      }
      bytes.push(hi * 16 + lo);
      i += 3;
    } while (i < to && s.charAt(i) === '%');
    i--;
    out += utf8.decode(Uint8Array.from(bytes));
  }
  return out;
}

// ---- Java semantics the handler relies on ----

/** `StringUtils.isBlank`: empty or only `Character.isWhitespace` chars (no-break spaces are not). */
export function isJavaBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const space =
      (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x20) || c === 0x1680 || (c >= 0x2000 && c <= 0x2006) ||
      (c >= 0x2008 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x205f || c === 0x3000;
    if (!space) return false;
  }
  return true;
}

/** `Long.parseLong` / `Integer.parseInt`: optional sign, ASCII digits, in range; else undefined. */
export function parseJavaInteger(s: string | undefined, bits: 32 | 64): number | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  const value = BigInt(s);
  const max = (1n << BigInt(bits - 1)) - 1n;
  return value > max || value < -max - 1n ? undefined : Number(value);
}
