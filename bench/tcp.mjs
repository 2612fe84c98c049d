#!/usr/bin/env node
// `node bench/tcp.mjs`: DataProxy over TCP (msgType 7) against HTTP, two measurements in one run.
//
//   1. The bridge under HTTP load forwarding to a TCP DataProxy stand-in, beside the bare Node
//      pass-through proxy, the bridge forwarding over HTTP and the bridge with no upstream (its
//      own ceiling), all in front of stand-ins that answer at once. Same load as bench/bridge.mjs: autocannon, 50 connections, each request a
//      multi-pack POST of 2 streams × 10 ThinkingData records with fresh #uuids.
//   2. InLongApi (C++ defaults: 64 KiB packs, 4 in flight, Snappy above 512 B over TCP) sending
//      the same 100,000 JSON records to a TCP and to an HTTP stand-in, rounds alternating.
//
//   node bench/tcp.mjs            10 s per load target after 3 s warm-up; 3 rounds of 100,000 events
//   node bench/tcp.mjs --quick    2 s per target; 1 round of 20,000 (for trying changes, not for reporting)
//
// Servers run in a child process, the load generator and InLongApi in this one. Reads dist/.
// Writes bench/results-tcp.md.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer as createTcpServer } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { body, listen, startHttpStub, startPassThrough, STREAMS } from './bridge-load.mjs';
import { makeEvents } from './track/mix.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);
const DIST = join(ROOT, process.env.BENCH_DIST ?? 'dist');
const RESULTS_FILE = join(ROOT, 'bench/results-tcp.md');
const QUICK = process.argv.includes('--quick');
const DURATION = Number(process.env.BENCH_DURATION ?? (QUICK ? 2 : 10));
const WARMUP = QUICK ? 1 : 3;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const EVENTS = QUICK ? 20_000 : 100_000;
const ROUNDS = QUICK ? 1 : 3;

/** A DataProxy TCP source that acks each msgType-7 frame at once (dpIp, rtms, echoed attr) and answers heartbeats. */
function startTcpStub() {
  const counts = { frames: 0, records: 0 };
  const ack = (uniq, attr) => {
    const text = Buffer.from(attr, 'latin1');
    const out = Buffer.allocUnsafe(13 + text.length);
    out.writeUInt32BE(9 + text.length, 0);
    out[4] = 7;
    out.writeUInt32BE(uniq, 5);
    out.writeUInt16BE(text.length, 9);
    text.copy(out, 11);
    out.writeUInt16BE(0xee01, 11 + text.length);
    return out;
  };
  const server = createTcpServer((socket) => {
    socket.setNoDelay(true);
    let pending;
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      const buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
      const replies = [];
      let at = 0;
      while (buffer.length - at >= 4) {
        const total = buffer.readUInt32BE(at);
        if (buffer.length - at - 4 < total) break;
        const type = buffer[at + 4] & 0x1f;
        if (type === 7) {
          const bodyLen = buffer.readUInt32BE(at + 21);
          const attrLen = buffer.readUInt16BE(at + 25 + bodyLen);
          const attr = buffer.toString('latin1', at + 27 + bodyLen, at + 27 + bodyLen + attrLen);
          replies.push(ack(buffer.readUInt32BE(at + 17), `dpIp=127.0.0.1&rtms=${Date.now()}&${attr}`));
          counts.frames++;
          counts.records += buffer.readUInt16BE(at + 15);
        } else if (type === 8) {
          replies.push(Buffer.from([0, 0, 0, 16, 8, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xff, 0, 0, 0xee, 1]));
        }
        at += 4 + total;
      }
      pending = at < buffer.length ? Buffer.from(buffer.subarray(at)) : undefined;
      if (replies.length > 0) socket.write(replies.length === 1 ? replies[0] : Buffer.concat(replies));
    });
  });
  return { server, counts };
}

/** Child: both stand-ins, the pass-through proxy and two bridges (TCP and HTTP upstream); prints their URLs. */
async function serve() {
  const { startBridgeServer } = await import(pathToFileURL(join(DIST, 'cli.js')).href);
  const tcp = startTcpStub();
  const http = startHttpStub();
  const tcpPort = await listen(tcp.server);
  const httpPort = await listen(http.server);
  const proxy = startPassThrough(httpPort);
  const proxyPort = await listen(proxy);
  const common = { port: 0, streams: STREAMS, rateLimit: false, maxMsgLength: 524_288 };
  const bridgeTcp = await startBridgeServer({ ...common, dataproxy: [`tcp://127.0.0.1:${tcpPort}`] });
  const bridgeHttp = await startBridgeServer({ ...common, dataproxy: [`http://127.0.0.1:${httpPort}`] });
  // The bridge's own ceiling: the same request handling, a sink that accepts at once.
  const nullSink = { name: 'null', description: 'accepts every pack at once', write: async (packs) => packs.map(() => ({ code: '0', msg: 'Ok' })) };
  const bridgeNull = await startBridgeServer({ ...common, sink: nullSink });
  console.log(JSON.stringify({ bridgeTcp: bridgeTcp.url, bridgeHttp: bridgeHttp.url, bridgeNull: bridgeNull.url, proxy: `http://127.0.0.1:${proxyPort}`, tcp: `tcp://127.0.0.1:${tcpPort}`, http: `http://127.0.0.1:${httpPort}` }));
  // Counters on request, for the report.
  createInterface({ input: process.stdin }).on('line', () => console.log(JSON.stringify({ tcp: tcp.counts, http: http.counts })));
  process.once('SIGTERM', async () => {
    await Promise.all([bridgeTcp.close(), bridgeHttp.close(), bridgeNull.close()]);
    for (const server of [tcp.server, http.server, proxy]) server.close();
    process.exit(0);
  });
}

let counter = 0;
const load = (autocannon, url, seconds) =>
  autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: 'POST', path: '/dataproxy/message', headers: { 'content-type': 'text/plain;charset=UTF-8' }, setupRequest: (request) => ({ ...request, body: body(counter++) }) }],
  });

/** Events per second of one InLongApi run: send all, flush, close. */
async function apiRun(InLongApi, url, events) {
  const api = new InLongApi();
  await api.initApi({ dataproxyUrls: [url], recv_buf_size: 512 * 1024 * 1024 });
  let failures = 0;
  const started = performance.now();
  for (const event of events) if (api.send('bench_group', 'stream_a', event, () => failures++) !== 0) failures++;
  await api.flush();
  const seconds = (performance.now() - started) / 1000;
  const stats = api.stats();
  await api.closeApi(1000);
  return { rate: events.length / seconds, failures: failures + stats.failed, acked: stats.acked };
}

const fmt = (value) => Math.round(value).toLocaleString('en-US');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  if (!existsSync(join(DIST, 'cli.js'))) {
    console.error('bench/tcp.mjs needs the built package: run `npm run build` first');
    process.exit(1);
  }
  const { default: autocannon } = await import('autocannon');
  const { InLongApi } = await import(pathToFileURL(join(DIST, 'index.js')).href);
  const child = spawn(process.execPath, [THIS_FILE, '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const nextLine = () => new Promise((resolve) => lines.once('line', (line) => resolve(JSON.parse(line))));
  const urls = await nextLine();
  const rows = [];
  const api = { tcp: [], http: [], failures: 0 };
  let counts;
  try {
    for (const [name, url] of [['inlong-js bridge → DataProxy TCP stand-in', urls.bridgeTcp], ['bare Node pass-through proxy → HTTP stand-in', urls.proxy], ['inlong-js bridge → DataProxy HTTP stand-in', urls.bridgeHttp], ['inlong-js bridge, no upstream (a sink that accepts at once)', urls.bridgeNull]]) {
      process.stderr.write(`${name}: warm-up ${WARMUP} s, then ${DURATION} s × ${CONNECTIONS} connections\n`);
      await load(autocannon, url, WARMUP);
      const result = await load(autocannon, url, DURATION);
      rows.push({ name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total, non2xx: result.non2xx, errors: result.errors + result.timeouts });
    }
    const events = makeEvents(EVENTS).map((event) => JSON.stringify({ '#type': 'track', '#distinct_id': event.params.distinctId, '#event_name': event.params.event ?? event.kind, '#uuid': `00000000-0000-4000-8000-${String(counter++).padStart(12, '0')}`, properties: event.params.properties }));
    // A warm-up run each, then rounds that alternate which transport goes first.
    await apiRun(InLongApi, urls.tcp, events.slice(0, 10_000));
    await apiRun(InLongApi, urls.http, events.slice(0, 10_000));
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of round % 2 === 0 ? ['tcp', 'http'] : ['http', 'tcp']) {
        process.stderr.write(`InLongApi over ${kind}: ${EVENTS.toLocaleString('en-US')} events, round ${round + 1}\n`);
        const result = await apiRun(InLongApi, urls[kind], events);
        api[kind].push(result.rate);
        api.failures += result.failures + (result.acked === EVENTS ? 0 : 1);
      }
    }
    child.stdin.write('counts\n');
    counts = await nextLine();
  } finally {
    child.kill('SIGTERM');
  }
  const [tcpRow, proxyRow, httpRow, nullRow] = rows;
  const eventBytes = Math.round(makeEvents(1000).reduce((sum, event) => sum + JSON.stringify(event.params).length, 0) / 1000);
  const range = (values) => `${fmt(Math.min(...values))}–${fmt(Math.max(...values))}`;
  const markdown = [
    '## DataProxy over TCP (msgType 7) vs HTTP',
    '',
    '| target | requests/s | p50 latency | p99 latency | requests | non-2xx | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row.name} | ${fmt(row.rps)} | ${row.p50} ms | ${row.p99} ms | ${fmt(row.total)} | ${row.non2xx} | ${row.errors} |`),
    '',
    `The bridge forwarding over TCP serves **${((tcpRow.rps / proxyRow.rps) * 100).toFixed(0)} %** of the pass-through's requests/s (goal ≥ 70 %); forwarding over HTTP, ${((httpRow.rps / proxyRow.rps) * 100).toFixed(0)} %. With no upstream at all the bridge serves ${((nullRow.rps / proxyRow.rps) * 100).toFixed(0)} %: its own request handling is the ceiling, and forwarding over TCP keeps ${((tcpRow.rps / nullRow.rps) * 100).toFixed(0)} % of it (over HTTP, ${((httpRow.rps / nullRow.rps) * 100).toFixed(0)} %). Every 200 from a bridge means DataProxy had acked (TCP) or answered code 0 (HTTP) for both packs. The TCP stand-in acked ${fmt(counts.tcp.frames)} frames (${fmt(counts.tcp.records)} records) over the whole run.`,
    '',
    '| InLongApi, one process, C++ defaults | events/s (median) | range | rounds |',
    '| --- | ---: | ---: | ---: |',
    `| over TCP (msgType 7, Snappy, pipelined acks) | **${fmt(median(api.tcp))}** | ${range(api.tcp)} | ${api.tcp.length} |`,
    `| over HTTP (form posts through fetch) | ${fmt(median(api.http))} | ${range(api.http)} | ${api.http.length} |`,
    '',
    `TCP / HTTP: ${(median(api.tcp) / median(api.http)).toFixed(2)}×. Undelivered or failed over all rounds: ${api.failures}.`,
    '',
    `Method: part 1 — autocannon ${DURATION} s after a ${WARMUP} s warm-up per target, ${CONNECTIONS} connections, POST /dataproxy/message with 2 raw packs × 10 ThinkingData records (~${fmt(Buffer.byteLength(body(0)))} bytes, unique #uuid each); the bridge forwards each pack as one frame on a pooled connection (TCP) or one form post (HTTP); the proxy pipes bytes to the HTTP stand-in. Part 2 — ${fmt(EVENTS)} ThinkingData JSON records (the bench's event mix, ~${eventBytes} B of properties each) per run, \`send()\` of all then \`flush()\`, timed from the first send to the last ack; a 10,000-event warm-up per transport, then ${ROUNDS} alternating rounds; \`recv_buf_size\` raised so nothing is refused. Stand-ins (TCP: acks each frame at once, like DataProxy's source ack; HTTP: code 0 after reading the body) and bridges in one child process, load generator and InLongApi in this one, on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.${QUICK ? ' (--quick: short run, not for reporting.)' : ''}`,
    '',
  ].join('\n');
  await writeFile(RESULTS_FILE, markdown);
  console.log(markdown);
}

if (process.argv.includes('--serve')) await serve();
else await main();
