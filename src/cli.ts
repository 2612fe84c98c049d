#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as net from 'node:net';
import { parseArgs } from 'node:util';
import { createNodeSocket } from './adapters/socket/node-net.js';
import { startBridgeServer, type BridgeServer, type BridgeServerOptions } from './bridge/node-server.js';
import { ConfigError, isConfigError } from './core/errors/config-error.js';

export { startBridgeServer, type BridgeServer, type BridgeServerOptions } from './bridge/node-server.js';
export { createNodeFileSink, type NodeFileSinkOptions } from './bridge/node-file-sink.js';

/**
 * `inlong-js --help`. Every flag maps to the `createBridge` / `--config` option named beside it.
 * @example console.log(CLI_HELP);
 */
export const CLI_HELP = `Usage: inlong-js bridge [options]

Serves the inlong-js bridge: browsers and ThinkingData clients in, Apache InLong DataProxy out.
With neither --dataproxy nor --manager it runs on an embedded local sink (a JSON-lines file).

  --port <p>                    port, 0 = any free one (port; default 8787)
  --host <h>                    interface (host; default 127.0.0.1)
  --dataproxy <url>             DataProxy node, http://host:46802 or tcp://host:46801, repeatable (dataproxy)
  --protocol <http|tcp>         with --manager: which DataProxy nodes to ask for and speak (protocol; default http)
  --manager <url>               Manager getIpList URL; /<groupId> is appended (manager.url)
  --group <groupId>             group discovered through the Manager (manager.groupId)
  --auth-id <id>                Manager secret id (manager.authId)
  --auth-key <key>              Manager secret key (manager.authKey; or env INLONG_MANAGER_AUTH_KEY)
  --manager-refresh <seconds>   node-list refresh period (manager.refreshMs; default 120)
  --stream <groupId>/<streamId> allowed stream, repeatable; the first receives ThinkingData records (streams)
  --td-stream <groupId>/<streamId>  stream for ThinkingData records instead (tdStream)
  --allow-origin <origin>       page origin allowed to post, repeatable, * for any (allowOrigins)
  --write-key <g>/<s>=<key>     write key a stream requires, repeatable (writeKeys)
  --sink-file <path>            embedded sink file (sinkFile; default .inlong/bridge-records.jsonl)
  --max-body-bytes <n>          largest request body (maxBodyBytes; default 1048576)
  --max-msg-length <n>          DataProxy max-msg-length (maxMsgLength; default 65536)
  --rate-limit <n>/<seconds>|off  requests per client address (rateLimit; default 1000/60)
  --trust-proxy                 client address from cf-connecting-ip / x-forwarded-for (trustProxy)
  --config <file.json>          options as JSON, same names; flags win
  --help                        this text

Prints "listening on http://<host>:<port>" when ready, then the mode. Stops on SIGINT/SIGTERM.`;

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  dataproxy: { type: 'string', multiple: true },
  protocol: { type: 'string' },
  manager: { type: 'string' },
  group: { type: 'string' },
  'auth-id': { type: 'string' },
  'auth-key': { type: 'string' },
  'manager-refresh': { type: 'string' },
  stream: { type: 'string', multiple: true },
  'td-stream': { type: 'string' },
  'allow-origin': { type: 'string', multiple: true },
  'write-key': { type: 'string', multiple: true },
  'sink-file': { type: 'string' },
  'max-body-bytes': { type: 'string' },
  'max-msg-length': { type: 'string' },
  'rate-limit': { type: 'string' },
  'trust-proxy': { type: 'boolean' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Default embedded sink file, relative to the working directory.
 * @example startBridgeServer({ sinkFile: DEFAULT_SINK_FILE })
 */
export const DEFAULT_SINK_FILE = '.inlong/bridge-records.jsonl';

/**
 * Reads `inlong-js bridge` flags into server options (a `--config` file first, flags over it).
 * Returns `'help'` for `--help`; throws `ConfigError` naming the flag for bad values.
 * @example parseCliArgs(['bridge', '--port', '0', '--stream', 'g/s']) // { port: 0, streams: ['g/s'], sinkFile: '.inlong/bridge-records.jsonl' }
 */
export function parseCliArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): BridgeServerOptions | 'help' {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError('(flags)', error instanceof Error ? error.message : String(error), { cause: error });
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals[0] !== 'bridge' || positionals.length > 1) throw new ConfigError('(command)', `expected "bridge", got ${JSON.stringify(positionals.join(' '))}`);
  const options: BridgeServerOptions = values.config === undefined ? {} : readConfig(values.config);
  if (values.port !== undefined) options.port = integer(values.port, '--port', 0, 65_535);
  if (values.host !== undefined) options.host = values.host;
  if (values.dataproxy) options.dataproxy = values.dataproxy;
  if (values.protocol !== undefined) {
    if (values.protocol !== 'http' && values.protocol !== 'tcp') throw new ConfigError('--protocol', `expects http or tcp, got ${JSON.stringify(values.protocol)}`);
    options.protocol = values.protocol;
  }
  const authKey = values['auth-key'] ?? env.INLONG_MANAGER_AUTH_KEY;
  if (values.manager !== undefined || values.group !== undefined) {
    if (values.manager === undefined || values.group === undefined) throw new ConfigError('--manager', '--manager and --group go together');
    options.manager = { url: values.manager, groupId: values.group, authId: values['auth-id'], authKey };
    if (values['manager-refresh'] !== undefined) options.manager.refreshMs = integer(values['manager-refresh'], '--manager-refresh', 1, 86_400) * 1000;
  }
  if (values.stream) options.streams = values.stream;
  if (values['td-stream'] !== undefined) options.tdStream = values['td-stream'];
  if (values['allow-origin']) options.allowOrigins = values['allow-origin'];
  if (values['write-key']) options.writeKeys = { ...options.writeKeys, ...writeKeys(values['write-key']) };
  if (values['sink-file'] !== undefined) options.sinkFile = values['sink-file'];
  if (values['max-body-bytes'] !== undefined) options.maxBodyBytes = integer(values['max-body-bytes'], '--max-body-bytes', 1, 2 ** 31);
  if (values['max-msg-length'] !== undefined) options.maxMsgLength = integer(values['max-msg-length'], '--max-msg-length', 1024, 20 * 2 ** 20);
  if (values['rate-limit'] !== undefined) options.rateLimit = rateLimit(values['rate-limit']);
  if (values['trust-proxy']) options.trustProxy = true;
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535)) {
    throw new ConfigError('port', `expects an integer 0..65535, got ${JSON.stringify(options.port)}`);
  }
  options.sinkFile ??= DEFAULT_SINK_FILE;
  return options;
}

/**
 * Runs the CLI: starts the server, prints `listening on <url>` and the mode, and stops on
 * SIGINT/SIGTERM. Resolves with the running server, or an exit code when it did not start.
 * @example const result = await runCli(['bridge', '--port', '0']);
 */
export async function runCli(argv: readonly string[], io = { out: console.log, err: console.error }): Promise<BridgeServer | number> {
  let options: BridgeServerOptions | 'help';
  try {
    options = parseCliArgs(argv, process.env);
  } catch (error) {
    if (!isConfigError(error)) throw error;
    io.err(`inlong-js: ${error.message}\n\n${CLI_HELP}`);
    return 2;
  }
  if (options === 'help') {
    io.out(CLI_HELP);
    return 0;
  }
  let server: BridgeServer;
  try {
    // tcp:// forwarding on node:net, named rather than found by feature detection.
    server = await startBridgeServer({ ...options, socket: options.socket ?? createNodeSocket({ net }), log: options.log ?? ((line) => io.err(line)) });
  } catch (error) {
    io.err(`inlong-js: ${error instanceof Error ? error.message : String(error)}`);
    // A bad option is a usage error (2), like a bad flag; anything else (port taken) is 1.
    return isConfigError(error) ? 2 : 1;
  }
  io.out(`listening on ${server.url}`);
  io.out(`mode: ${server.bridge.describe()}`);
  const stop = () => {
    // A second signal while closing means "now".
    process.once('SIGINT', () => process.exit(1));
    void server.close().then(() => io.out('stopped'));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}

function readConfig(path: string): BridgeServerOptions {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
    return value as BridgeServerOptions;
  } catch (error) {
    throw new ConfigError('--config', `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function integer(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new ConfigError(flag, `expects an integer ${min}..${max}, got ${JSON.stringify(text)}`);
  return value;
}

function writeKeys(entries: readonly string[]): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    // The value is a secret: the error names the stream part only.
    if (equals < 1 || equals === entry.length - 1) throw new ConfigError('--write-key', `expects <groupId>/<streamId>=<key>, got "${entry.slice(0, Math.max(0, equals))}=…"`);
    keys[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return keys;
}

function rateLimit(text: string): BridgeServerOptions['rateLimit'] {
  if (text === 'off') return false;
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new ConfigError('--rate-limit', `expects <requests>/<seconds> or off, got ${JSON.stringify(text)}`);
  return { requests: Number(match[1]), windowMs: Number(match[2]) * 1000 };
}

/** True when this file is the process entry (`inlong-js ...`), not an import. */
function isEntry(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(ownPath());
  } catch {
    // argv[1] that is not a file on disk (node -e, a REPL) cannot be this module.
    return false;
  }
}

/** This module's file. The CommonJS build (dist/cli.cjs) has no `import.meta`; Node gives it `__filename`. */
function ownPath(): string {
  return typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
}

if (isEntry()) {
  void runCli(process.argv.slice(2)).then((result) => {
    if (typeof result === 'number') process.exitCode = result;
  });
}
