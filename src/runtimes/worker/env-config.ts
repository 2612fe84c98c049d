import type { SenderConfig } from '../../core/config.js';

/**
 * The Worker bindings the middleware reads (`wrangler.toml` `[vars]` for URLs and ids,
 * `wrangler secret put` for the Manager key). Every one is optional; explicit options win.
 * @example
 * interface Env extends InLongEnv { MY_KV: KVNamespace }
 * export default withInLong<Env>({ fetch: (request, env, ctx, inlong) => new Response('ok') });
 */
export interface InLongEnv {
  /** Comma-separated DataProxy HTTP nodes, e.g. `http://10.0.0.5:46802,http://10.0.0.6:46802`. */
  INLONG_DATAPROXY_URLS?: string;
  /** Manager getIpList URL (C++ `manager_url`); nodes of `INLONG_GROUP_ID` are discovered through it. */
  INLONG_MANAGER_URL?: string;
  INLONG_GROUP_ID?: string;
  INLONG_STREAM_ID?: string;
  /** Manager Basic-auth id and key (keep the key a secret). */
  INLONG_AUTH_ID?: string;
  INLONG_AUTH_KEY?: string;
  /** An inlong-js bridge to send to instead of DataProxy. */
  INLONG_BRIDGE_URL?: string;
  /** Write key the bridge expects. */
  INLONG_WRITE_KEY?: string;
  /** `false`, `0` or `off` turns the automatic request event off. */
  INLONG_REQUEST_EVENT?: string;
}

/**
 * What the bindings contribute: sender keys plus the default stream and the request-event switch.
 * @example const { sender, groupId } = readEnvSettings(env);
 */
export interface EnvSettings {
  sender: Partial<SenderConfig>;
  groupId?: string;
  streamId?: string;
  requestEvent?: boolean;
}

const list = (value: string): string[] => value.split(',').map((item) => item.trim()).filter(Boolean);

/**
 * Reads the `INLONG_*` bindings of a Worker's `env`. Non-string bindings (KV namespaces,
 * service bindings that happen to share a name) are ignored rather than coerced.
 * @example readEnvSettings({ INLONG_DATAPROXY_URLS: 'http://10.0.0.5:46802', INLONG_GROUP_ID: 'g' })
 */
export function readEnvSettings(env: unknown): EnvSettings {
  const bindings = (env && typeof env === 'object' ? env : {}) as Record<string, unknown>;
  const text = (name: keyof InLongEnv): string | undefined => {
    const value = bindings[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const sender: Partial<SenderConfig> = {};
  const urls = text('INLONG_DATAPROXY_URLS');
  if (urls) sender.dataproxyUrls = list(urls);
  const managerUrl = text('INLONG_MANAGER_URL');
  if (managerUrl) sender.managerUrl = managerUrl;
  const authId = text('INLONG_AUTH_ID');
  if (authId) sender.authId = authId;
  const authKey = text('INLONG_AUTH_KEY');
  if (authKey) sender.authKey = authKey;
  const bridgeUrl = text('INLONG_BRIDGE_URL');
  if (bridgeUrl) sender.bridgeUrl = bridgeUrl;
  const writeKey = text('INLONG_WRITE_KEY');
  if (writeKey) sender.writeKey = writeKey;
  const toggle = text('INLONG_REQUEST_EVENT')?.toLowerCase();
  return {
    sender,
    groupId: text('INLONG_GROUP_ID'),
    streamId: text('INLONG_STREAM_ID'),
    requestEvent: toggle === undefined ? undefined : !['false', '0', 'off', 'no'].includes(toggle),
  };
}
