/**
 * The published package as a new user gets it: `npm pack`'s tarball installed into an empty
 * project, then every subpath loaded with `require()` (with require(esm) switched off, as on
 * Node 20.0–20.18) and with `import`, a CommonJS program sending through the lazily loaded routes
 * and the CommonJS CLI, and TypeScript checking a file that uses each entry under the node16,
 * bundler and node10 resolutions.
 */
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataProxy, startTrackedServer, type DataProxyNode, type TrackedServer } from '../helpers/dataproxy-fixture.js';
import { createScratchConsumer, tsc, type ScratchConsumer } from '../helpers/scratch-consumer.js';
import { CONSUMER_FILES, SUBPATHS } from './package-consumer-files.js';

/** Node without require(esm): what Node 20.0–20.18 does; a `require()` that reaches an ES module throws. */
const NO_REQUIRE_ESM = '--no-experimental-require-module';

let consumer: ScratchConsumer;
beforeAll(async () => {
  consumer = await createScratchConsumer();
  await consumer.write(CONSUMER_FILES);
}, 120_000);
afterAll(async () => {
  await consumer?.remove();
});

type Loaded = Record<string, { file: string; exports: string[] }>;
const parse = (stdout: string): { loaded: Loaded; global: string } => JSON.parse(stdout) as { loaded: Loaded; global: string };

describe(`the packed tarball installed in a scratch project (Node ${process.versions.node})`, () => {
  it(`require()s every subpath from its .cjs file, ${NO_REQUIRE_ESM}`, async () => {
    const run = await consumer.node([NO_REQUIRE_ESM, 'require-all.cjs']);
    expect(run.stderr).toBe('');
    const { loaded, global } = parse(run.stdout);
    expect(Object.keys(loaded)).toEqual(SUBPATHS);
    for (const [subpath, { file, exports }] of Object.entries(loaded)) {
      expect(file, subpath).toMatch(/^node_modules\/inlong-js\/dist\/[a-z.]+\.cjs$/);
      if (subpath !== 'inlong-js/inlong.global.js') expect(exports.length, subpath).toBeGreaterThan(0);
    }
    expect(global).toBe('function');
  });

  it('imports every subpath from its .js file, with the same export names as require()', async () => {
    const [imported, required] = await Promise.all([consumer.node(['import-all.mjs']), consumer.node(['require-all.cjs'])]);
    expect(imported.stderr).toBe('');
    const esm = parse(imported.stdout);
    for (const [subpath, { file }] of Object.entries(esm.loaded)) expect(file, subpath).toMatch(/^node_modules\/inlong-js\/dist\/[a-z.]+\.js$/);
    expect(esm.global).toBe('function');
    const names = (loaded: Loaded) => Object.fromEntries(Object.entries(loaded).map(([subpath, { exports }]) => [subpath, exports]));
    expect(names(esm.loaded)).toEqual(names(parse(required.stdout).loaded));
  });

  it('gives a process that loads both builds two copies, which the isX guards tell apart by name', async () => {
    const run = await consumer.node(['dual.mjs']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ sameClass: false, instanceOf: false, guard: true });
  });

  describe('a CommonJS program and the CommonJS CLI', () => {
    let dp: DataProxyNode;
    let proxy: TrackedServer;
    let stopBridge: () => void = () => undefined;
    const seen: Array<{ url: string; encoding: string | undefined; body: Buffer }> = [];
    afterAll(async () => {
      stopBridge();
      await Promise.all([proxy?.close(), dp?.stop()]);
    });

    it('deliver through the lazily loaded routes, gzip from node:zlib included', async () => {
      dp = await startDataProxy();
      const bridge = spawn(process.execPath, [NO_REQUIRE_ESM, 'node_modules/inlong-js/dist/cli.cjs', 'bridge', '--port', '0', '--dataproxy', dp.url, '--stream', 'g_cjs/s_cjs'], { cwd: consumer.dir, stdio: ['ignore', 'pipe', 'pipe'] });
      stopBridge = () => bridge.kill('SIGKILL');
      const bridgeUrl = await listeningUrl(bridge, 10_000);
      // Between the SDK and the bridge, to see the bytes the SDK's gzip made.
      proxy = await startTrackedServer((request, response) => {
        forward(request, response, bridgeUrl, seen).catch((error: unknown) => response.writeHead(502).end(String(error)));
      });

      const run = await consumer.node([NO_REQUIRE_ESM, 'send.cjs', `http://127.0.0.1:${proxy.port}`, dp.url], { timeoutMs: 30_000 });
      expect(run.stderr).toBe('');
      const result = JSON.parse(run.stdout) as { init: number; codes: number[]; failed: string[]; errors: string[] };
      expect(result).toEqual({ init: 0, codes: Array.from({ length: 20 }, () => 0), failed: [], errors: [] });

      const lines = dp.received.filter((item) => item.streamId === 's_cjs').flatMap((item) => item.records);
      expect(lines.sort()).toEqual(Array.from({ length: 20 }, (_, index) => `cjs-line-${index} ${'x'.repeat(60)}`).sort());
      const tracked = dp.received.filter((item) => item.streamId === 's_td').flatMap((item) => item.records.map((line) => JSON.parse(line) as Record<string, unknown>));
      expect(tracked.map((record) => [record['#event_name'], record['#distinct_id']])).toEqual([['from_cjs', 'd-cjs']]);

      const gzipped = seen.filter(({ url, encoding }) => url.includes('compress=gzip') || encoding === 'gzip');
      expect(gzipped.length).toBeGreaterThan(0);
      // Byte 8 of a gzip header is XFL: 4 = level 1, what the node:zlib compressor (found through
      // process.getBuiltinModule) uses; CompressionStream and fflate write 0 at their level 6.
      expect(gzipped.map(({ body }) => [body[0], body[1], body[8]])).toEqual(gzipped.map(() => [0x1f, 0x8b, 4]));
    });
  });

  describe('TypeScript typechecks a file that uses each entry', () => {
    for (const project of ['tsconfig.node16-esm.json', 'tsconfig.node16-cjs.json', 'tsconfig.bundler.json', 'tsconfig.node10.json', 'tsconfig.server.json']) {
      it(project, async () => {
        const result = await tsc(consumer.dir, project);
        expect(result.stdout + result.stderr).toBe('');
        expect(result.code).toBe(0);
      });
    }
  });
});

/** The `http://…` a bridge prints once it listens. */
function listeningUrl(child: ReturnType<typeof spawn>, timeoutMs: number): Promise<string> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the CLI printed no "listening on" within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    if (!child.stdout) return;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^listening on (http:\S+)$/.exec(line);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
  });
}

/** Records one request and passes it on to `target` unchanged, answering with its reply. */
async function forward(request: IncomingMessage, response: ServerResponse, target: string, seen: Array<{ url: string; encoding: string | undefined; body: Buffer }>): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const encoding = request.headers['content-encoding'];
  seen.push({ url: request.url ?? '', encoding, body });
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'content-encoding']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const reply = await fetch(`${target}${request.url ?? '/'}`, { method: request.method ?? 'POST', headers, body: body.length > 0 ? body : undefined });
  response.writeHead(reply.status, { 'content-type': reply.headers.get('content-type') ?? 'application/json' });
  response.end(Buffer.from(await reply.arrayBuffer()));
}
