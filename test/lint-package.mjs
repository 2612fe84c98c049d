#!/usr/bin/env node
// What a consumer installs, checked on the tarball `npm pack` makes from the built dist/ (run by
// `npm test` as `npm run lint:package`, so CI fails on any finding):
//   - publint --strict: every warning is an error (exports targets exist, formats match extensions);
//   - attw --profile strict: types resolve and match the JavaScript under node10, node16 from
//     CommonJS, node16 from ESM and bundler, for every subpath;
//   - the file list: LICENSE, README.md, package.json and dist/ only.
//
//   node test/lint-package.mjs [package-dir]   (default: this repository)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../node_modules/.bin', import.meta.url));
const REQUIRED = ['LICENSE', 'README.md', 'package.json', 'dist/index.cjs', 'dist/index.js', 'dist/inlong.global.js'];

if (!existsSync(join(ROOT, 'dist/index.js'))) {
  console.error('dist/ is missing: run `npx tsup` first.');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'inlong-pack-'));
let failed = false;
try {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }));
  const tarball = join(dir, packed.filename);
  const files = packed.files.map((file) => file.path);
  console.log(`npm pack: ${packed.filename}, ${files.length} files, ${packed.size.toLocaleString('en-US')} B packed, ${packed.unpackedSize.toLocaleString('en-US')} B unpacked`);

  const stray = files.filter((path) => !path.startsWith('dist/') && !['LICENSE', 'README.md', 'package.json'].includes(path));
  const missing = REQUIRED.filter((path) => !files.includes(path));
  if (stray.length > 0) console.error(`files outside LICENSE, README.md, package.json and dist/: ${stray.join(', ')}`);
  if (missing.length > 0) console.error(`missing from the tarball: ${missing.join(', ')}`);
  failed = stray.length > 0 || missing.length > 0;

  for (const [name, args] of [
    ['publint', ['--strict', tarball]],
    ['attw', ['--profile', 'strict', '--format', 'table-flipped', '--no-color', tarball]],
  ]) {
    const result = spawnSync(join(BIN, name), args, { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`${name} failed (exit ${result.status ?? result.signal})`);
      failed = true;
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exit(1);
console.log('package lint: publint --strict and attw --profile strict clean on the packed tarball');
