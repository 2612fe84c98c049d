import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SENDER_OPTIONS } from '../../src/core/config.js';
import { SENDER_OPTION_DOCS } from '../../src/core/config-docs.js';
import { SdkCode } from '../../src/core/codes.js';
import { INLONG_SNIPPET } from '../../src/runtimes/browser/snippet.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const rows = new Map(
  readme
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map((cells) => [cells[1]?.replace(/`/g, ''), cells.slice(2, -1)] as const),
);

describe('README', () => {
  it('starts with the two commands', () => {
    const firstScreen = readme.split('\n').slice(0, 12).join('\n');
    expect(firstScreen).toContain('npm install && npm start');
    expect(firstScreen).toContain('npm install && npm test');
  });

  it('documents every sender option with its C++ key, default and meaning', () => {
    for (const [name, spec] of Object.entries(SENDER_OPTIONS)) {
      const row = rows.get(name);
      expect(row, name).toBeDefined();
      const [cpp, defaultText, meaning] = row ?? [];
      expect(cpp, name).toBe(spec.cpp ? `\`${spec.cpp}\`` : '—');
      const shown = Array.isArray(spec.default) ? '`[]`' : spec.default === '' ? '—' : String(spec.default);
      expect(defaultText?.startsWith(shown), `${name}: ${defaultText}`).toBe(true);
      expect(meaning, name).toBe(SENDER_OPTION_DOCS[name as keyof typeof SENDER_OPTION_DOCS]);
    }
  });

  it('lists result codes with the C++ numbers', () => {
    for (const line of readme.split('\n').filter((text) => /^\| \d+ \| `k/.test(text))) {
      const [, number, name] = line.split('|').map((cell) => cell.trim().replace(/`/g, ''));
      expect(SdkCode[name as keyof typeof SdkCode], line).toBe(Number(number));
    }
  });

  it('shows the loader snippet the browser entry exports', () => {
    expect(readme).toContain(`<script>${INLONG_SNIPPET}</script>`);
  });
});
