import { defineConfig } from 'vitest/config';

// One project per runtime (as hono's runtime-tests): each folder holds the tests that need that
// runtime. Browser, Workers and Deno tests are driven from Node but execute in real Chromium,
// workerd and Deno, started by the tests themselves.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // One Chromium at a time: the machine has two cores.
          poolOptions: { forks: { singleFork: true }, threads: { singleThread: true } },
        },
      },
      { test: { name: 'workers', include: ['test/workers/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      { test: { name: 'deno', include: ['test/deno/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
    ],
  },
});
