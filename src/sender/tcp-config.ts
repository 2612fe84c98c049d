import type { SenderConfig } from '../core/config.js';
import { ConfigError } from '../core/errors/config-error.js';

/** Frames awaiting their ack on one connection (more wait their turn): enough to keep a loopback or LAN link busy. */
export const TCP_WINDOW = 32;

/** The longest heartbeat interval accepted: well inside DataProxy's 180 s read-idle timer. */
const MAX_HEARTBEAT_MS = 100_000;

/**
 * Checks what only the TCP route reads, when it loads (for `InLongApi`, inside `initApi`, which
 * rejects with this `ConfigError`): kept out of the first load every client pays for.
 * @example checkTcpConfig(parseSenderConfig({ dataproxyUrls: ['tcp://10.0.0.5:46801'], msg_type: 5 })) // throws ConfigError
 */
export function checkTcpConfig(config: SenderConfig): void {
  // The other v0 types frame records differently; 7 is both InLong SDKs' default.
  if (config.msgType !== 7) throw new ConfigError('msgType (msg_type)', `only 7 (binary multi-body, the InLong SDKs' default) is supported, got ${config.msgType}`);
  if (config.heartbeatIntervalMs > MAX_HEARTBEAT_MS) {
    throw new ConfigError('heartbeatIntervalMs (heart_beat_interval)', `must be at most ${MAX_HEARTBEAT_MS}: DataProxy closes a connection silent for 180 s, got ${config.heartbeatIntervalMs}`);
  }
  const tcp = config.dataproxyUrls.filter((url) => /^tcp:\/\//i.test(url));
  if (tcp.length < config.dataproxyUrls.length) throw new ConfigError('dataproxyUrls', 'mixes tcp:// and http(s):// nodes; use one protocol');
  for (const url of tcp) {
    const match = /^tcp:\/\/(\[[0-9a-f:.]+\]|[^\s/:@[\]]+):(\d{1,5})\/?$/i.exec(url);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65_535) throw new ConfigError('dataproxyUrls', `expects tcp://host:port, got ${JSON.stringify(url)}`);
  }
}
