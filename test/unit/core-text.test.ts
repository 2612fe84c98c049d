import { describe, expect, it } from 'vitest';
import { formatTime } from '../../src/core/time-format.js';
import { utf8Length } from '../../src/core/utf8.js';

describe('utf8Length', () => {
  const encoder = new TextEncoder();
  const samples = ['', 'abc', '{"a":1}', 'é', '€', '中文字符', '😀', 'a😀b', '\ud800', 'x\udc00y', '\ud800\ud800\udc00', 'é😀€\u007f\u0080\u07ff\u0800\uffff', 'a'.repeat(1000) + 'é'];
  for (const sample of samples) {
    it(`counts ${JSON.stringify(sample).slice(0, 30)} as TextEncoder encodes it`, () => {
      expect(utf8Length(sample)).toBe(encoder.encode(sample).length);
    });
  }
});

describe('formatTime', () => {
  it('formats each millisecond of consecutive seconds, and going back in time', () => {
    const base = new Date(2026, 0, 2, 3, 4, 5, 0).getTime();
    const times = [base + 6, base + 999, base + 1000, base + 1001, base - 1, base + 6, base + 86_400_000 * 40 + 7];
    for (const time of times) {
      const date = new Date(time);
      const pad = (value: number, width = 2) => String(value).padStart(width, '0');
      const expected = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
      expect(formatTime(date)).toBe(expected);
    }
    expect(formatTime(new Date(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02 03:04:05.006');
  });
});
