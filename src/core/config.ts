import { ConfigError } from './errors/config-error.js';

type Kind = 'number' | 'boolean' | 'string' | 'list';
type ValueOf<K extends Kind> = K extends 'number' ? number : K extends 'boolean' ? boolean : K extends 'list' ? string[] : string;

/** One option: its kind, default, the C++ SDK's key, a lower bound, and C++ unit → our unit. */
interface OptionSpec<K extends Kind = Kind> {
  kind: K;
  default: ValueOf<K>;
  cpp?: string;
  min?: number;
  cppScale?: number;
}

// A factory instead of object literals keeps this table small in every bundle that ships it;
// the words about each option live in config-docs.ts, which no runtime code imports.
const option = <K extends Kind>(kind: K, value: ValueOf<K>, cpp?: string, min?: number, cppScale?: number): OptionSpec<K> => ({ kind, default: value, cpp, min, cppScale });

/**
 * Every sender option. The C++ SDK's snake_case keys (`dataproxy-sdk-cpp/src/config/sdk_conf.cc`)
 * are accepted beside ours; README's configuration table is written from this and config-docs.ts.
 */
export const SENDER_OPTIONS = {
  groupIds: option('list', [], 'inlong_group_ids'),
  managerUrl: option('string', '', 'manager_url'),
  managerUpdateIntervalMs: option('number', 120_000, 'manager_update_interval', 1000, 60_000),
  managerTimeoutMs: option('number', 5000, 'manager_url_timeout', 1, 1000),
  needAuth: option('boolean', false, 'need_auth'),
  authId: option('string', '', 'auth_id'),
  authKey: option('string', '', 'auth_key'),
  dataproxyUrls: option('list', []),
  bridgeUrl: option('string', ''),
  packSize: option('number', 409_600, 'pack_size', 64),
  packCount: option('number', 1000, undefined, 1),
  packTimeoutMs: option('number', 3000, 'pack_timeout', 0),
  extPackSize: option('number', 409_600, 'ext_pack_size', 1),
  recvBufSize: option('number', 10_240_000, 'recv_buf_size', 1),
  maxMsgLength: option('number', 65_536, undefined, 1024),
  retryTimes: option('number', 3, 'retry_times', 0),
  retryBaseMs: option('number', 500, undefined, 1),
  retryMaxMs: option('number', 30_000, undefined, 1),
  requestTimeoutMs: option('number', 10_000, undefined, 1),
  maxInflight: option('number', 4, 'max_proxy_num', 1),
  nodeParkMs: option('number', 20_000, undefined, 0),
  enableZip: option('boolean', true, 'enable_zip'),
  minZipLen: option('number', 512, 'min_zip_len', 0),
  writeKey: option('string', ''),
  protocol: option('string', 'http'),
  msgType: option('number', 7, 'msg_type'),
  heartbeatIntervalMs: option('number', 60_000, 'heart_beat_interval', 1000),
  tcpIdleTimeMs: option('number', 600_000, 'tcp_idle_time', 1000),
};

export type SenderConfig = { [K in keyof typeof SENDER_OPTIONS]: (typeof SENDER_OPTIONS)[K]['default'] };

/**
 * C++ keys for its threads, logging and affinity, which mean nothing here. Accepted so an
 * existing C++ config file loads unchanged, and ignored.
 */
const IGNORED_CPP_KEYS = new Set(
  ('per_groupid_thread_nums dispatch_interval_zip dispatch_interval_send send_buf_size enable_pack ' +
    'tcp_detection_interval log_num log_size log_level log_path load_balance_interval ' +
    'enable_balance max_group_id_num max_stream_id_num max_cache_num enable_share_msg ' +
    'enable_local_cache isolation_level enable_tcp_nagle proxy_repeat_times ser_ip ser_port ' +
    'enable_setaffinity mask_cpuaffinity extend_field max_instance extend_report').split(' '),
);

const byCppKey = new Map<string, string>(Object.entries(SENDER_OPTIONS).flatMap(([name, spec]) => (spec.cpp ? [[spec.cpp, name]] : [])));

/**
 * Reads a sender config from an object or JSON text, C++ style (`{"init-param": {...}}`,
 * snake_case keys) or ours (camelCase). Throws `ConfigError` naming the option and the reason.
 * @example parseSenderConfig('{"init-param":{"inlong_group_ids":"g1,g2","pack_timeout":500}}')
 */
export function parseSenderConfig(input: unknown): SenderConfig {
  let source = input;
  if (typeof source === 'string') {
    try {
      source = JSON.parse(source);
    } catch (error) {
      throw new ConfigError('(json)', `is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  if (!source || typeof source !== 'object' || Array.isArray(source)) throw new ConfigError('(root)', 'must be an object or JSON text');
  const wrapped = (source as Record<string, unknown>)['init-param'];
  const entries = Object.entries((wrapped && typeof wrapped === 'object' ? wrapped : source) as Record<string, unknown>);

  const config = Object.fromEntries(Object.entries(SENDER_OPTIONS).map(([name, spec]) => [name, structuredDefault(spec.default)])) as Record<string, unknown>;
  for (const [key, value] of entries) {
    if (IGNORED_CPP_KEYS.has(key)) continue;
    const name = key in SENDER_OPTIONS ? key : byCppKey.get(key);
    if (!name) throw new ConfigError(key, `is not an option (known: ${Object.keys(SENDER_OPTIONS).join(', ')} and the C++ SDK's keys)`);
    const spec: OptionSpec = SENDER_OPTIONS[name as keyof typeof SENDER_OPTIONS];
    const scale = key === name ? 1 : (spec.cppScale ?? 1);
    config[name] = coerce(key, spec, value, scale);
  }
  if (config.needAuth && !config.authId) throw new ConfigError('auth_id', 'is required when need_auth is true');
  // The TCP options are checked by the TCP route when it loads (src/sender/tcp-config.ts): the
  // first load of every other client stays without them.
  if (config.protocol !== 'http' && config.protocol !== 'tcp') throw new ConfigError('protocol', 'must be "http" or "tcp"');
  return config as SenderConfig;
}

/** What each kind accepts, for the message when a value is not that. */
const EXPECTED: Record<Kind, string> = { number: 'a number', boolean: 'true or false', list: 'a comma-separated string or an array of strings', string: 'a string' };

function coerce(key: string, spec: OptionSpec, value: unknown, scale: number): unknown {
  const { kind, min } = spec;
  let result: unknown;
  if (kind === 'number') {
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number === 'number' && Number.isFinite(number)) result = number * scale;
    if (min !== undefined && (result as number) < min) throw new ConfigError(key, `must be at least ${min / scale}, got ${String(number)}`);
  } else if (kind === 'boolean') {
    result = value === true || value === 'true' ? true : value === false || value === 'false' ? false : undefined;
  } else if (kind === 'list') {
    const list: unknown = typeof value === 'string' ? value.split(',') : value;
    if (Array.isArray(list) && list.every((item) => typeof item === 'string')) result = list.map((item: string) => item.trim()).filter(Boolean);
  } else if (typeof value === 'string') {
    result = value;
  }
  if (result === undefined) throw new ConfigError(key, `must be ${EXPECTED[kind]}, got ${JSON.stringify(value)}`);
  return result;
}

const structuredDefault = (value: unknown): unknown => (Array.isArray(value) ? [...value] : value);
