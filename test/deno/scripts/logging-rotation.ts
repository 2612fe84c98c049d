/**
 * LoggingConsumer from the built `inlong-js/deno` writing real files through Deno's file API.
 * A hand-driven clock crosses an hour, and a tiny `fileSize` forces the `_n` split.
 * Usage: logging-rotation.ts <directory>
 */
declare const Deno: { args: string[]; writeTextFile: (...args: unknown[]) => Promise<void> };
export {};

// Counts the writes that go through Deno's own file API (not the node:fs compatibility layer).
let denoWrites = 0;
const writeTextFile = Deno.writeTextFile;
Deno.writeTextFile = (...args: unknown[]) => {
  denoWrites += 1;
  return writeTextFile(...args);
};

// Typed from the source, loaded from the build: the import map sends `inlong-js/deno` to dist/.
const specifier: string = 'inlong-js/deno';
const { LoggingConsumer, TDAnalytics } = (await import(specifier)) as typeof import('../../../src/runtimes/deno.js');

const directory = Deno.args[0] ?? './logs';
let now = new Date(2026, 0, 2, 3, 58, 0).getTime();
const clock = { now: () => now, setTimeout, clearTimeout, random: Math.random, uuid: () => crypto.randomUUID() };

// Hourly files, split past ~300 bytes, one write per record so every split is visible.
const consumer = new LoggingConsumer({ directory, prefix: 'app', rotateHourly: true, fileSize: 300 / (1024 * 1024), bufferSize: 1 }, { clock });
const td = new TDAnalytics(consumer, { enableUuid: false }, { clock });
for (let index = 0; index < 6; index++) td.track({ distinctId: 'd1', event: 'tick', properties: { n: index, hour: 3 }, time: new Date(now) });
await td.flush();
now += 3 * 60_000; // 04:01: the next hour's file
for (let index = 6; index < 9; index++) td.track({ distinctId: 'd1', event: 'tick', properties: { n: index, hour: 4 }, time: new Date(now) });
await td.close();

// Daily files by default, no split suffix.
const daily = new TDAnalytics(new LoggingConsumer({ directory }, { clock }), {}, { clock });
daily.userSet({ accountId: 'a1', properties: { plan: 'pro' } });
await daily.close();
console.log(`done: ${denoWrites} writes through Deno.writeTextFile`);
