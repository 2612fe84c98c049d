import type { StorageAdapter } from '../../src/core/types.js';

/**
 * The smallest describe/it/expect surface the contract needs. Vitest's functions fit it, and so
 * does the tiny runner in test/browser/pages, so the same cases run in Node and in Chromium.
 */
export interface ContractRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void> | void): void;
  expect(actual: unknown): {
    toBe(expected: unknown): void;
    toEqual(expected: unknown): void;
    toBeUndefined(): void;
  };
}

/** Case names, in order; the browser test checks each one reported a pass. */
export const storageContractCases = [
  'get of a missing key is undefined',
  'roundtrips an object with nested arrays',
  'roundtrips unicode strings',
  'roundtrips numbers, booleans and null',
  'roundtrips Uint8Array byte for byte',
  'overwrites a value',
  'removes a value, and removing a missing key is fine',
  'keys(prefix) returns exactly the keys with that prefix',
  'stores a copy: changing the object after set changes nothing',
  'returns a copy: changing what get returned changes nothing',
  'sets 200 keys concurrently, all readable',
  'roundtrips a 1 MB string',
] as const;

/**
 * Runs the StorageAdapter contract (as unstorage's test/drivers/utils.ts) against `make`. Every
 * case calls `make()` for a fresh adapter and uses its own key prefix, so persistent backends need
 * no cleanup between cases.
 *
 * @example
 * import { describe, it, expect } from 'vitest';
 * storageContract('memory', () => createMemoryStorage(), { describe, it, expect });
 */
export function storageContract(
  name: string,
  make: () => Promise<StorageAdapter> | StorageAdapter,
  { describe, it, expect }: ContractRunner,
): void {
  const [missing, nested, unicode, scalars, bytes, overwrite, remove, keys, copyIn, copyOut, many, large] =
    storageContractCases;
  const expectBytes = (actual: unknown, expected: Uint8Array): void => {
    expect(actual instanceof Uint8Array).toBe(true);
    expect(Array.from(actual as Uint8Array)).toEqual(Array.from(expected));
  };

  describe(name, () => {
    it(missing, async () => {
      const storage = await make();
      expect(await storage.get('missing:nothing-here')).toBeUndefined();
    });

    it(nested, async () => {
      const storage = await make();
      const value = { a: 1, list: [1, [2, [3, { deep: 'x' }]], []], empty: {}, text: 'hello' };
      await storage.set('nested:1', value);
      expect(await storage.get('nested:1')).toEqual(value);
    });

    it(unicode, async () => {
      const storage = await make();
      // Emoji (surrogate pairs), CJK, RTL, combining marks, a lone surrogate, NUL and line breaks:
      // each one has broken some JSON or UTF-16 path somewhere.
      const texts = ['', 'héllo wörld', '中文 日本語 한국어', 'مرحبا', 'e\u0301', '😀👍🏽', '\ud800', 'a\u0000b', 'l1\nl2\r\n\u2028'];
      await storage.set('unicode:list', texts);
      await storage.set('unicode:one', texts.join('|'));
      expect(await storage.get('unicode:list')).toEqual(texts);
      expect(await storage.get('unicode:one')).toBe(texts.join('|'));
    });

    it(scalars, async () => {
      const storage = await make();
      const value = { zero: 0, neg: -42, float: 3.25, tiny: 1e-7, big: Number.MAX_SAFE_INTEGER, t: true, f: false, n: null };
      await storage.set('scalars:obj', value);
      await storage.set('scalars:num', 12.5);
      await storage.set('scalars:bool', false);
      await storage.set('scalars:str', '');
      expect(await storage.get('scalars:obj')).toEqual(value);
      expect(await storage.get('scalars:num')).toBe(12.5);
      expect(await storage.get('scalars:bool')).toBe(false);
      expect(await storage.get('scalars:str')).toBe('');
    });

    it(bytes, async () => {
      const storage = await make();
      const all = Uint8Array.from({ length: 256 }, (_, index) => index);
      await storage.set('bytes:raw', all);
      await storage.set('bytes:nested', { body: all, parts: [new Uint8Array(0), new Uint8Array([255, 0])] });
      expectBytes(await storage.get('bytes:raw'), all);
      const nestedBack = await storage.get<{ body: unknown; parts: unknown[] }>('bytes:nested');
      expectBytes(nestedBack?.body, all);
      expectBytes(nestedBack?.parts[0], new Uint8Array(0));
      expectBytes(nestedBack?.parts[1], new Uint8Array([255, 0]));
    });

    it(overwrite, async () => {
      const storage = await make();
      await storage.set('overwrite:k', { v: 1 });
      await storage.set('overwrite:k', 'second');
      expect(await storage.get('overwrite:k')).toBe('second');
    });

    it(remove, async () => {
      const storage = await make();
      await storage.set('remove:k', 1);
      await storage.remove('remove:k');
      expect(await storage.get('remove:k')).toBeUndefined();
      await storage.remove('remove:never-set');
      expect(await storage.keys('remove:')).toEqual([]);
    });

    it(keys, async () => {
      const storage = await make();
      await storage.set('keys:a:1', 1);
      await storage.set('keys:a:2', 2);
      await storage.set('keys:ab', 3);
      await storage.set('keys:b:1', 4);
      expect((await storage.keys('keys:a:')).sort()).toEqual(['keys:a:1', 'keys:a:2']);
      expect((await storage.keys('keys:a')).sort()).toEqual(['keys:a:1', 'keys:a:2', 'keys:ab']);
      expect(await storage.keys('keys:none:')).toEqual([]);
      expect((await storage.keys('keys:')).length).toBe(4);
    });

    it(copyIn, async () => {
      const storage = await make();
      const value = { n: 1, list: [1], body: new Uint8Array([1]) };
      // Not awaited before mutating: a store must snapshot at call time, not when it gets round
      // to writing (IndexedDB writes only after its lazy open).
      const pending = storage.set('copy-in:k', value);
      value.n = 2;
      value.list.push(2);
      value.body[0] = 9;
      await pending;
      value.n = 3;
      const back = await storage.get<typeof value>('copy-in:k');
      expect(back?.n).toBe(1);
      expect(back?.list).toEqual([1]);
      expectBytes(back?.body, new Uint8Array([1]));
    });

    it(copyOut, async () => {
      const storage = await make();
      await storage.set('copy-out:k', { n: 1, list: [1] });
      const first = await storage.get<{ n: number; list: number[] }>('copy-out:k');
      if (first === undefined) throw new Error('value missing after set');
      first.n = 2;
      first.list.push(2);
      expect(await storage.get('copy-out:k')).toEqual({ n: 1, list: [1] });
    });

    it(many, async () => {
      const storage = await make();
      const ids = Array.from({ length: 200 }, (_, index) => index);
      await Promise.all(ids.map((id) => storage.set(`many:${id}`, { id, text: `record ${id}` })));
      const back = await Promise.all(ids.map((id) => storage.get(`many:${id}`)));
      expect(back).toEqual(ids.map((id) => ({ id, text: `record ${id}` })));
      expect((await storage.keys('many:')).length).toBe(200);
    });

    it(large, async () => {
      const storage = await make();
      // Mixed widths so a UTF-8/UTF-16 slip changes the result, exactly 1 Mi characters.
      const text = 'abcdefgé中😀'.repeat(1 << 17).slice(0, 1 << 20);
      await storage.set('large:k', text);
      const back = await storage.get<string>('large:k');
      expect(back?.length).toBe(text.length);
      expect(back === text).toBe(true);
    });
  });
}
