import { ConfigError } from './errors/config-error.js';

/** One option of the sender: our name, the C++ SDK's key, its default and its check. */
interface OptionSpec {
  cpp?: string;
  kind: 'number' | 'boolean' | 'string' | 'list';
  default: unknown;
  min?: number;
  /** Multiplies a C++ value into our unit (C++ minutes/seconds → our ms). */
  cppScale?: number;
  doc: string;
}

/**
 * Every sender option. The C++ SDK's snake_case keys (`dataproxy-sdk-cpp/src/config/sdk_conf.cc`)
 * are accepted beside ours; this table is also the README's configuration reference.
 */
export const SENDER_OPTIONS = {
  groupIds: { cpp: 'inlong_group_ids', kind: 'list', default: [], doc: 'Groups whose DataProxy nodes are discovered at init.' },
  managerUrl: { cpp: 'manager_url', kind: 'string', default: '', doc: 'Manager getIpList URL; `/<groupId>` is appended. Discovery is on when set.' },
  managerUpdateIntervalMs: { cpp: 'manager_update_interval', cppScale: 60_000, kind: 'number', default: 120_000, min: 1000, doc: 'Node-list refresh period (C++: minutes).' },
  managerTimeoutMs: { cpp: 'manager_url_timeout', cppScale: 1000, kind: 'number', default: 5000, min: 1, doc: 'Manager request timeout (C++: seconds).' },
  needAuth: { cpp: 'need_auth', kind: 'boolean', default: false, doc: 'Send Basic auth to the Manager.' },
  authId: { cpp: 'auth_id', kind: 'string', default: '', doc: 'Manager secret id (Basic auth user).' },
  authKey: { cpp: 'auth_key', kind: 'string', default: '', doc: 'Manager secret key (Basic auth password).' },
  dataproxyUrls: { kind: 'list', default: [], doc: 'DataProxy HTTP nodes to use directly, e.g. `http://10.0.0.5:46802`.' },
  bridgeUrl: { kind: 'string', default: '', doc: 'An inlong-js bridge to send to instead of DataProxy.' },
  packSize: { cpp: 'pack_size', kind: 'number', default: 409_600, min: 64, doc: 'Bytes that close a pack (also capped by `maxMsgLength`).' },
  packCount: { kind: 'number', default: 1000, min: 1, doc: 'Records that close a pack.' },
  packTimeoutMs: { cpp: 'pack_timeout', kind: 'number', default: 3000, min: 0, doc: 'Age that closes a pack, ms.' },
  extPackSize: { cpp: 'ext_pack_size', kind: 'number', default: 409_600, min: 1, doc: 'Largest single message, bytes; larger → code 6.' },
  recvBufSize: { cpp: 'recv_buf_size', kind: 'number', default: 10_240_000, min: 1, doc: 'Bytes buffered (unsent) before `send` answers code 8.' },
  maxMsgLength: { kind: 'number', default: 65_536, min: 1024, doc: 'DataProxy `max-msg-length`: largest encoded form per request.' },
  retryTimes: { cpp: 'retry_times', kind: 'number', default: 3, min: 0, doc: 'Retries of a transient failure before the callback fires.' },
  retryBaseMs: { kind: 'number', default: 500, min: 1, doc: 'First backoff delay, ms (doubles per retry, with jitter).' },
  retryMaxMs: { kind: 'number', default: 30_000, min: 1, doc: 'Longest backoff delay, ms.' },
  requestTimeoutMs: { kind: 'number', default: 10_000, min: 1, doc: 'Per-request timeout, ms.' },
  maxInflight: { cpp: 'max_proxy_num', kind: 'number', default: 4, min: 1, doc: 'Requests in flight at once.' },
  nodeParkMs: { kind: 'number', default: 20_000, min: 0, doc: 'How long a failed node is skipped, ms.' },
  enableZip: { cpp: 'enable_zip', kind: 'boolean', default: true, doc: 'gzip requests to a bridge (DataProxy HTTP takes none).' },
  minZipLen: { cpp: 'min_zip_len', kind: 'number', default: 512, min: 0, doc: 'Smallest body worth compressing, bytes.' },
  writeKey: { kind: 'string', default: '', doc: 'Write key the bridge expects for these streams.' },
} satisfies Record<string, OptionSpec>;

export type SenderConfig = {
  [K in keyof typeof SENDER_OPTIONS]: (typeof SENDER_OPTIONS)[K]['kind'] extends 'number'
    ? number
    : (typeof SENDER_OPTIONS)[K]['kind'] extends 'boolean'
      ? boolean
      : (typeof SENDER_OPTIONS)[K]['kind'] extends 'list'
        ? string[]
        : string;
};

/**
 * C++ keys that have no meaning over HTTP (TCP threads, logging, affinity). Accepted so an
 * existing C++ config file loads unchanged, and ignored.
 */
const IGNORED_CPP_KEYS = new Set([
  'msg_type', 'per_groupid_thread_nums', 'dispatch_interval_zip', 'dispatch_interval_send', 'send_buf_size', 'enable_pack',
  'tcp_detection_interval', 'tcp_idle_time', 'log_num', 'log_size', 'log_level', 'log_path', 'load_balance_interval',
  'heart_beat_interval', 'enable_balance', 'max_group_id_num', 'max_stream_id_num', 'max_cache_num', 'enable_share_msg',
  'enable_local_cache', 'isolation_level', 'enable_tcp_nagle', 'proxy_repeat_times', 'ser_ip', 'ser_port',
  'enable_setaffinity', 'mask_cpuaffinity', 'extend_field', 'max_instance', 'extend_report',
]);

const byCppKey = new Map(Object.entries(SENDER_OPTIONS).flatMap(([name, spec]) => ('cpp' in spec ? [[spec.cpp, name]] : [])));

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
  return config as SenderConfig;
}

function coerce(key: string, spec: OptionSpec, value: unknown, scale: number): unknown {
  switch (spec.kind) {
    case 'number': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) throw new ConfigError(key, `must be a number, got ${JSON.stringify(value)}`);
      if (spec.min !== undefined && number * scale < spec.min) throw new ConfigError(key, `must be at least ${spec.min / scale}, got ${number}`);
      return number * scale;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw new ConfigError(key, `must be true or false, got ${JSON.stringify(value)}`);
    case 'list':
      if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter(Boolean);
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.map((item) => item.trim()).filter(Boolean);
      throw new ConfigError(key, `must be a comma-separated string or an array of strings, got ${JSON.stringify(value)}`);
    default:
      if (typeof value === 'string') return value;
      throw new ConfigError(key, `must be a string, got ${JSON.stringify(value)}`);
  }
}

const structuredDefault = (value: unknown): unknown => (Array.isArray(value) ? [...value] : value);
