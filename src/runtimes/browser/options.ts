import { ConfigError } from '../../core/errors/config-error.js';
import type { BeaconTransport, Clock, Compressor, StorageAdapter, Transport } from '../../core/types.js';

/** Why records left the outbox without being delivered. */
export interface DropInfo {
  /** `overflow`: past `maxBytes` (the `overflow` policy chose these); `rejected`: a record larger than `batchBytes`. */
  reason: 'overflow' | 'rejected';
  /** Records dropped by this event. */
  records: number;
}

/** Runtime objects the browser client reads; each defaults to the global of that name. */
export interface BrowserGlobals {
  navigator?: Partial<Navigator>;
  location?: Partial<Location>;
  document?: Partial<Document>;
  screen?: Partial<Screen>;
  localStorage?: Storage | null;
  indexedDB?: IDBFactory | null;
  /** Where `pagehide`, `online` and `offline` are listened for. Default `globalThis`. */
  eventTarget?: EventTarget;
}

/** `InLong.init(options)`: ThinkingData web SDK names where they exist. */
export interface BrowserOptions {
  /** The inlong-js bridge, e.g. `https://collect.example.com`. */
  serverUrl: string;
  groupId: string;
  streamId: string;
  /** Instance name; namespaces everything stored. Default `'default'`. */
  name?: string;
  /** Sent in every form as `writeKey`, when the bridge requires one. */
  writeKey?: string;
  /** Throw `ValidationError` at the call on bad input. Default false: report to `onError`, send anyway. */
  strict?: boolean;
  /** Records per pack. Default 50 (ThinkingData's web maximum per request). */
  batchSize?: number;
  /** Form-encoded bytes per pack. Default 32 KiB, so a compressed pack fits a beacon easily. */
  batchBytes?: number;
  /** A pack closes (and is persisted) this long after its first record, ms. Default 500. */
  flushIntervalMs?: number;
  /** Most record bytes kept in the outbox. Default 2 MiB. */
  maxBytes?: number;
  /** Past `maxBytes`: drop the oldest packs (default) or refuse the newest. */
  overflow?: 'drop-oldest' | 'drop-newest';
  /** Default 1000 ms, doubling per failure up to `retryMaxMs` (default 30 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Default 10 s. */
  requestTimeoutMs?: number;
  /** Requests in flight at once. Default 2. */
  concurrency?: number;
  /** Where the outbox lives. Default `'auto'`: IndexedDB → localStorage → memory, by probing. */
  storage?: 'auto' | 'indexedDB' | 'localStorage' | 'memory' | StorageAdapter;
  /** gzip packs with the native `CompressionStream` where there is one. Default true. */
  compress?: boolean;
  /** Bytes page exit may queue with `sendBeacon` / keepalive (the page shares 64 KiB). Default 60,000. */
  exitBudgetBytes?: number;
  /**
   * Copies page exit sends of each pack, budget permitting. Default 2: the second survives the
   * beacons Chromium drops on tab close (about 1 in 1,000, `bench/exit.mjs`), and the bridge
   * holds a `#uuid` copy until the first one's outcome, so DataProxy sees it once.
   */
  exitCopies?: number;
  /** How often other tabs' leftovers are looked for, ms. Default 15 s. */
  rescanMs?: number;
  /** Fallback lease (no Web Locks): a dead tab's packs are taken over after this, ms. Default 30 s. */
  leaseMs?: number;
  /** Use Web Locks where present. Default true; false forces the storage lease. */
  webLocks?: boolean;
  /** Replace or add preset properties (`#os`, `#url`, ...). */
  presetProperties?: Record<string, unknown>;
  globals?: BrowserGlobals;
  onError?: (error: unknown) => void;
  onDrop?: (drop: DropInfo) => void;
  clock?: Clock;
  transport?: Transport;
  /** `null`: no beacons, page exit uses fetch `keepalive`. */
  beacon?: BeaconTransport | null;
  /** `null`: never compress. Default: native gzip where present (pass fflate's for old browsers). */
  compressor?: Pick<Compressor, 'name' | 'gzip'> | null;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<Omit<BrowserOptions, 'writeKey' | 'onError' | 'onDrop' | 'clock' | 'transport' | 'beacon' | 'compressor' | 'globals' | 'presetProperties'>> &
  Pick<BrowserOptions, 'writeKey' | 'onError' | 'onDrop' | 'clock' | 'transport' | 'beacon' | 'compressor' | 'presetProperties'> & { globals: BrowserGlobals };

const NUMBERS = {
  batchSize: 50,
  batchBytes: 32_768,
  flushIntervalMs: 500,
  maxBytes: 2_097_152,
  retryBaseMs: 1000,
  retryMaxMs: 30_000,
  requestTimeoutMs: 10_000,
  concurrency: 2,
  exitBudgetBytes: 60_000,
  exitCopies: 2,
  rescanMs: 15_000,
  leaseMs: 30_000,
};

/**
 * Checks `init` options and fills defaults. Throws `ConfigError` naming the option.
 * @example resolveOptions({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' })
 */
export function resolveOptions(options: BrowserOptions): ResolvedOptions {
  if (!options || typeof options !== 'object') throw new ConfigError('(root)', 'init expects an options object');
  const numbers: Record<string, unknown> = { ...NUMBERS };
  for (const key of ['serverUrl', 'groupId', 'streamId', ...Object.keys(NUMBERS)] as const) {
    const value: unknown = options[key as keyof BrowserOptions];
    const number = key in NUMBERS;
    const ok = number ? value === undefined || (typeof value === 'number' && value >= 0) : typeof value === 'string' && value.trim() !== '';
    if (!ok) throw new ConfigError(key, `must be ${number ? 'a number ≥ 0' : 'a non-empty string'}, got ${String(value)}`);
    if (value !== undefined) numbers[key] = value;
  }
  if (!/^https?:\/\//i.test(options.serverUrl)) throw new ConfigError('serverUrl', `must be an http(s) URL, got ${JSON.stringify(options.serverUrl)}`);
  return {
    ...options,
    ...(numbers as typeof NUMBERS),
    serverUrl: options.serverUrl.replace(/\/+$/, ''),
    name: options.name ?? 'default',
    strict: options.strict === true,
    overflow: options.overflow === 'drop-newest' ? 'drop-newest' : 'drop-oldest',
    storage: options.storage ?? 'auto',
    compress: options.compress !== false,
    webLocks: options.webLocks !== false,
    globals: options.globals ?? {},
  };
}
