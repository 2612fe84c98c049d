#!/usr/bin/env node
// `npm run bench:bridge`: HTTP load on the inlong-js bridge against the same load on a bare Node
// pass-through proxy, in the same run, both in front of the same fast DataProxy stand-in.
//
//   node bench/bridge.mjs            10 s per target after a 3 s warm-up, 50 connections
//   node bench/bridge.mjs --quick    2 s per target (for trying changes, not for reporting)
//   BENCH_DURATION=20 BENCH_CONNECTIONS=100 node bench/bridge.mjs
//
// The servers (stub, proxy, bridge) run in one child process and autocannon in this one, so the
// load generator does not steal the servers' event loop. Each request is a multi-pack POST, as
// the browser SDK sends: 2 streams × 10 ThinkingData records (~3 KB), every record with a fresh
// `#uuid`. The bridge parses and checks every pack, adds `#ip`, deduplicates, and forwards each
// pack as its own DataProxy form (2 upstream requests per client request) before it answers;
// the proxy streams the bytes through (1 upstream request). Reads the built `dist/`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { body, listen, RECORDS_PER_PACK, startHttpStub, startPassThrough, STREAMS } from './bridge-load.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);
const CLI = join(ROOT, process.env.BENCH_DIST ?? 'dist', 'cli.js');
const RESULTS_FILE = join(ROOT, 'bench/results-bridge.md');
const QUICK = process.argv.includes('--quick');
const DURATION = Number(process.env.BENCH_DURATION ?? (QUICK ? 2 : 10));
const WARMUP = QUICK ? 1 : 3;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

/** Child: the DataProxy stand-in, the pass-through proxy and the bridge; prints their URLs. */
async function serve() {
  const { startBridgeServer } = await import(pathToFileURL(CLI).href);
  const stub = startHttpStub().server;
  const stubPort = await listen(stub);
  const proxy = startPassThrough(stubPort);
  const proxyPort = await listen(proxy);
  const bridge = await startBridgeServer({
    port: 0,
    dataproxy: [`http://127.0.0.1:${stubPort}`],
    streams: STREAMS,
    rateLimit: false,
    maxMsgLength: 524_288,
  });
  console.log(JSON.stringify({ bridge: bridge.url, proxy: `http://127.0.0.1:${proxyPort}` }));
  process.once('SIGTERM', async () => {
    await bridge.close();
    stub.close();
    proxy.close();
    process.exit(0);
  });
}

/** Shared by every run, so warm-up and measured requests never repeat a `#uuid`. */
let counter = 0;

async function load(url, seconds, autocannon) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{
      method: 'POST',
      path: '/dataproxy/message',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      setupRequest: (request) => ({ ...request, body: body(counter++) }),
    }],
  });
}

async function main() {
  if (!existsSync(CLI)) {
    console.error('bench/bridge.mjs needs the built package: run `npm run build` first');
    process.exit(1);
  }
  const { default: autocannon } = await import('autocannon');
  const child = spawn(process.execPath, [THIS_FILE, '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const urls = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
  const rows = [];
  try {
    for (const [name, url] of [['inlong-js bridge (forwarding to DataProxy stub)', urls.bridge], ['bare Node pass-through proxy', urls.proxy]]) {
      process.stderr.write(`${name}: warm-up ${WARMUP} s, then ${DURATION} s × ${CONNECTIONS} connections\n`);
      await load(url, WARMUP, autocannon);
      const result = await load(url, DURATION, autocannon);
      rows.push({ name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total, non2xx: result.non2xx, errors: result.errors + result.timeouts });
    }
    const stats = await (await fetch(`${urls.bridge}/inlong/stats`)).json();
    rows.stats = stats;
  } finally {
    child.kill('SIGTERM');
  }
  const table = [
    '| target | requests/s | p50 latency | p99 latency | requests | non-2xx | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row.name} | ${Math.round(row.rps).toLocaleString('en-US')} | ${row.p50} ms | ${row.p99} ms | ${row.total.toLocaleString('en-US')} | ${row.non2xx} | ${row.errors} |`),
  ].join('\n');
  const [bridgeRow, proxyRow] = rows;
  const { forwarded, failed, deduped } = rows.stats;
  const markdown = [
    '## Bridge load: inlong-js bridge vs a bare Node pass-through proxy',
    '',
    table,
    '',
    `The bridge serves ${((bridgeRow.rps / proxyRow.rps) * 100).toFixed(0)} % of the pass-through's requests/s. Over the whole run it forwarded ${forwarded.toLocaleString('en-US')} records (failed ${failed}, deduplicated ${deduped}); every 200 from it means DataProxy had answered code 0 for both packs.`,
    '',
    `Method: autocannon ${DURATION} s after a ${WARMUP} s warm-up, ${CONNECTIONS} connections, POST /dataproxy/message with 2 packs × ${RECORDS_PER_PACK} ThinkingData records (unique #uuid each) per request, as raw packs like the SDK sends them (~${Buffer.byteLength(body(0)).toLocaleString('en-US')} bytes). Servers in one child process, load generator in another, on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}. The DataProxy stand-in answers {"code":"0"} after reading each body. The bridge forwards each pack as one DataProxy request (2 upstream per request); the proxy pipes bytes (1 upstream).${QUICK ? ' (--quick: short run, not for reporting.)' : ''}`,
    '',
  ].join('\n');
  await writeFile(RESULTS_FILE, markdown);
  console.log(markdown);
}

if (process.argv.includes('--serve')) await serve();
else await main();
