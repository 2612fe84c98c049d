/**
 * The bridge forwarding to DataProxy's TCP source. The built CLI (`inlong-js bridge --dataproxy
 * tcp://…`, on node:net) behind ThinkingData's own Node client, gzip on and off, through 114s,
 * resets and lost acks; the in-process server for the answers a client sees.
 *
 * Duplicates: a frame DataProxy stored whose ack was lost (reset or silence after storing) is
 * resent — by the bridge, as by any at-least-once client — and lands twice. The bridge's #uuid
 * dedup only drops what its clients send twice. So: with faults that never store without an
 * ack, every record lands exactly once; with them, repeats are exactly records of the frames
 * the stand-in stored without an ack.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { startBridgeServer, type BridgeServer, type BridgeServerOptions } from '../../src/bridge/node-server.js';
import { ConfigError, InLongApi, type SendCallback } from '../../src/index.js';
import { parseBridgeOptions } from '../../src/bridge/options.js';
import { parseCliArgs } from '../../src/cli.js';
import { startTcpDataProxy, type TcpDataProxyNode, type TcpFault } from '../helpers/dataproxy-tcp-fixture.js';
import { startManager } from '../helpers/manager-fixture.js';
import { sendWithThinkingData } from '../helpers/thinkingdata-client.js';

const CLI = resolve(process.env.INLONG_CLI ?? 'dist/cli.js');
const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function tcpNode(options?: Parameters<typeof startTcpDataProxy>[0]): Promise<TcpDataProxyNode> {
  const node = await startTcpDataProxy(options);
  stops.push(node.stop);
  return node;
}

/** The built CLI as a child process; resolves with its URL once it printed `listening on`. */
async function cliBridge(args: string[], config: object): Promise<string> {
  expect(existsSync(CLI) && readFileSync(CLI, 'utf8').includes('listening on'), 'dist/cli.js is built (npx tsup)').toBe(true);
  const dir = mkdtempSync(join(tmpdir(), 'inlong-tcp-cli-'));
  const configFile = join(dir, 'bridge.json');
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(process.execPath, [CLI, 'bridge', '--port', '0', '--config', configFile, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  stops.push(async () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`CLI did not start: ${stderr}`)), 10_000);
    lines.on('line', (line) => {
      const match = /^listening on (http:\/\/\S+)$/.exec(line);
      if (!match?.[1]) return;
      clearTimeout(timer);
      done(match[1]);
    });
  });
}

const send = (url: string, count: number, compress: boolean, tag: string) =>
  sendWithThinkingData(url, count, { compress, timeoutMs: 30_000, properties: (num) => ({ tag, num, text: 'é€😀 a&b=c\nnext line' }) });

const NO_LOSS = { trailingBytes: 0, cntMismatch: 0, corruptSnappy: 0, badFraming: 0, badFlags: 0 };

/** Counts by #uuid across nodes: every sent record present; repeats only from frames stored without an ack. */
function uuidCounts(nodes: TcpDataProxyNode[], tag: string, count: number) {
  const uuidOf = (record: string) => (JSON.parse(record) as { '#uuid': string })['#uuid'];
  const mine = (record: string) => (JSON.parse(record) as { properties: { tag: string } }).properties.tag === tag;
  const records = nodes.flatMap((node) => node.records()).filter(mine);
  const byUuid = new Map<string, number>();
  for (const record of records) byUuid.set(uuidOf(record), (byUuid.get(uuidOf(record)) ?? 0) + 1);
  const nums = new Set(records.map((record) => (JSON.parse(record) as { properties: { num: number } }).properties.num));
  const unacked = new Set(nodes.flatMap((node) => node.storedWithoutAck()).filter(mine).map(uuidOf));
  const repeated = [...byUuid].filter(([, times]) => times > 1).map(([uuid]) => uuid);
  for (const node of nodes) expect(node.lost).toEqual(NO_LOSS);
  return { lost: count - nums.size, uuids: byUuid.size, repeated, repeatedUnexplained: repeated.filter((uuid) => !unacked.has(uuid)), unacked: unacked.size };
}

const CLI_CONFIG = { requestTimeoutMs: 400, forwardBudgetMs: 15_000, nodeParkMs: 300, rateLimit: false };

describe('CLI bridge --dataproxy tcp:// behind thinkingdata-node', () => {
  /** Faults that keep the connection: nothing DataProxy stores goes unacknowledged. */
  const onceFaults: TcpFault[] = [{ code: 114, times: 3 }, { code: 1 }, { silent: true }, { code: 2 }, { slowMs: 100 }, { code: 114, times: 2 }, { silent: true }];
  /** Faults that store without an ack, or close the connection (a RST also destroys acks the client has not read). */
  const storingFaults: TcpFault[] = [{ resetBeforeStore: true }, { resetAfterStore: true }, { code: 114 }, { silentAfterStore: true }, { resetAfterAck: true }, { closeOnFrame: true }, { resetAfterStore: true }];

  for (const compress of [true, false]) {
    it(`gzip ${compress ? 'on' : 'off'}: 114s, codes 1 and 2, acks that never come, a slow reader — every record lands exactly once`, async () => {
      const nodes = [await tcpNode(), await tcpNode()];
      for (const node of nodes) for (const fault of onceFaults) node.inject(fault);
      const url = await cliBridge(['--dataproxy', nodes[0]?.url ?? '', '--dataproxy', nodes[1]?.url ?? '', '--stream', 'td_group/td_stream'], CLI_CONFIG);
      const errors = await send(url, 400, compress, `once-${compress}`);
      expect(errors).toEqual([]);
      const result = uuidCounts(nodes, `once-${compress}`, 400);
      expect(result).toMatchObject({ lost: 0, uuids: 400, repeated: [] });
      expect(nodes.every((node) => node.received.every((item) => item.groupId === 'td_group' && item.streamId === 'td_stream'))).toBe(true);
      expect(nodes.reduce((sum, node) => sum + (node.acks.get(114) ?? 0), 0)).toBe(10);
      expect(nodes.every((node) => node.storedWithoutAck().length === 0)).toBe(true);
    });

    it(`gzip ${compress ? 'on' : 'off'}: resets before/after storing and after the ack, closes, silence after storing — 0 lost, repeats only of frames stored without an ack`, async () => {
      const nodes = [await tcpNode(), await tcpNode()];
      for (const node of nodes) for (const fault of storingFaults) node.inject(fault);
      const url = await cliBridge(['--dataproxy', nodes[0]?.url ?? '', '--dataproxy', nodes[1]?.url ?? '', '--stream', 'td_group/td_stream'], CLI_CONFIG);
      const errors = await send(url, 400, compress, `stored-${compress}`);
      expect(errors).toEqual([]);
      const result = uuidCounts(nodes, `stored-${compress}`, 400);
      expect(result.lost).toBe(0);
      expect(result.uuids).toBe(400);
      expect(result.repeatedUnexplained).toEqual([]);
      expect(result.unacked).toBeGreaterThan(0);
      console.info(`bridge gzip ${compress}: 400 records, ${result.repeated.length} repeated by #uuid, all among ${result.unacked} stored without an ack`);
    });
  }
});

describe('the bridge over TCP (in-process server, node:net)', () => {
  async function bridge(options: BridgeServerOptions): Promise<BridgeServer> {
    const server = await startBridgeServer({ port: 0, forwardBudgetMs: 3000, requestTimeoutMs: 300, nodeParkMs: 300, rateLimit: false, ...options });
    stops.push(server.close);
    return server;
  }
  const post = (server: BridgeServer, body: string) =>
    fetch(`${server.url}/dataproxy/message`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }).then((response) => response.json());

  it('answers code 0 only after DataProxy acked: a node that never acks gets the client code 1, and the retry 0', async () => {
    const node = await tcpNode();
    node.inject({ silent: true, times: Infinity });
    const server = await bridge({ dataproxy: [node.url], streams: ['g/s'], forwardBudgetMs: 600 });
    expect(await post(server, 'groupId=g&streamId=s&cnt=2&body=one%0Atwo')).toMatchObject({ code: '1' });
    expect(node.records()).toEqual([]);
    node.clearFaults();
    expect(await post(server, 'groupId=g&streamId=s&cnt=2&body=one%0Atwo')).toEqual({ code: '0', msg: 'Ok' });
    expect(node.records()).toEqual(['one', 'two']);
    expect(server.bridge.describe()).toBe(`DataProxy TCP nodes ${node.url}`);
  });

  it("InLongApi → bridge → TCP: multi-pack requests, each pack its own frames, DataProxy's caller error handed back", async () => {
    const node = await tcpNode({ allowedStreams: ['g/s1', 'g/s2'] });
    const server = await bridge({ dataproxy: [node.url], streams: ['g/s1', 'g/s2', 'g/s3'], maxMsgLength: 4096 });
    const failures: string[] = [];
    const callback: SendCallback = (_g, _s, msg, _l, _t, _i, error) => failures.push(`${msg}:${error.reason}`);
    const client = new InLongApi();
    stops.push(() => client.closeApi(0));
    await client.initApi({ bridgeUrl: server.url, pack_timeout: 10, retryBaseMs: 5 });
    const sent: string[] = [];
    for (let index = 0; index < 300; index++) {
      const msg = `{"n":${index},"pad":"${'é'.repeat(index % 120)}","nl":"a\\nb"}`;
      sent.push(msg);
      client.send('g', index % 2 ? 's1' : 's2', msg, callback);
    }
    client.send('g', 's3', 'no topic', callback);
    await client.flush();
    expect([...node.records()].sort()).toEqual([...sent].sort());
    expect(failures).toEqual(['no topic:115']);
    expect(node.received.every((item) => item.frameBytes <= 4096 && item.cnt === item.records.length)).toBe(true);
    expect(node.received.some((item) => item.compressed)).toBe(true);
    expect(node.lost).toEqual(NO_LOSS);
  });

  it('--protocol tcp with a Manager asks for protocolType=TCP nodes and forwards to them', async () => {
    const node = await tcpNode();
    const manager = await startManager({ groupNodes: { g: [{ ip: '127.0.0.1', port: node.port, protocolType: 'TCP' }, { ip: '127.0.0.1', port: 1, protocolType: 'HTTP' }] } });
    stops.push(manager.stop);
    const options = parseCliArgs(['bridge', '--manager', manager.url, '--group', 'g', '--protocol', 'tcp', '--stream', 'g/s']);
    expect(options !== 'help' && options.protocol).toBe('tcp');
    const server = await bridge({ ...(options as BridgeServerOptions), port: 0 });
    expect(await post(server, 'groupId=g&streamId=s&body=via-manager')).toEqual({ code: '0', msg: 'Ok' });
    expect(node.records()).toEqual(['via-manager']);
    expect(manager.requests.every((request) => request.protocolType === 'TCP')).toBe(true);
  });

  it('refuses TCP settings it could not honour with a ConfigError', () => {
    const attempts: Array<[object, string]> = [
      [{ dataproxy: ['tcp://127.0.0.1:1', 'http://127.0.0.1:2'], streams: ['g/s'] }, 'protocol'],
      [{ dataproxy: ['tcp://127.0.0.1'], streams: ['g/s'] }, 'dataproxy'],
      [{ dataproxy: ['tcp://127.0.0.1:1'], streams: ['g/s', 'grüppe/s'] }, 'streams'],
      [{ dataproxy: ['http://127.0.0.1:1'], protocol: 'tcp', streams: ['g/s'] }, 'protocol'],
      [{ protocol: 'tcp' }, 'protocol'],
    ];
    for (const [options, option] of attempts) {
      let caught: unknown;
      try {
        parseBridgeOptions(options);
      } catch (error) {
        caught = error;
      }
      expect(caught instanceof ConfigError && caught.option, JSON.stringify(options)).toBe(option);
    }
    expect(() => parseCliArgs(['bridge', '--protocol', 'udp'])).toThrow(/--protocol/);
  });
});
