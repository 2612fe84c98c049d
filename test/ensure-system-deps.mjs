#!/usr/bin/env node
// The tests drive real programs from Debian: Chromium for the browser tests (Playwright cannot
// download its own browsers here) and redis-server for the shared-dedup tests. Install what is
// missing when we may (root with apt-get); otherwise say what to do.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const NEEDED = [
  { what: 'Chromium', path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', pkg: 'chromium', env: 'CHROMIUM_PATH' },
  { what: 'redis-server', path: process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server', pkg: 'redis-server', env: 'REDIS_SERVER_PATH' },
];

const missing = NEEDED.filter((program) => !existsSync(program.path));
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  for (const program of missing) {
    console.error(`${program.what} not found at ${program.path}. Install Debian's ${program.pkg} (apt-get install ${program.pkg}) or set ${program.env}.`);
  }
  process.exit(1);
}
console.log(`Installing Debian ${missing.map((program) => program.pkg).join(' and ')} for the tests…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', ...missing.map((program) => program.pkg)], { stdio: 'inherit', env });
