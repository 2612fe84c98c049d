import type { SenderConfig } from './config.js';

/**
 * What each sender option means, for the README's configuration table (a unit test keeps the
 * two in step). Kept apart from config.ts so no bundle ships these words.
 */
export const SENDER_OPTION_DOCS: Record<keyof SenderConfig, string> = {
  groupIds: 'Groups whose DataProxy nodes are discovered at init.',
  managerUrl: 'Manager getIpList URL; `/<groupId>` is appended. Discovery is on when set.',
  managerUpdateIntervalMs: 'Node-list refresh period (C++: minutes).',
  managerTimeoutMs: 'Manager request timeout (C++: seconds).',
  needAuth: 'Send Basic auth to the Manager.',
  authId: 'Manager secret id (Basic auth user).',
  authKey: 'Manager secret key (Basic auth password).',
  dataproxyUrls: 'DataProxy HTTP nodes to use directly, e.g. `http://10.0.0.5:46802`.',
  bridgeUrl: 'An inlong-js bridge to send to instead of DataProxy.',
  packSize: 'Bytes that close a pack (also capped by `maxMsgLength`).',
  packCount: 'Records that close a pack.',
  packTimeoutMs: 'Age that closes a pack, ms.',
  extPackSize: 'Largest single message, bytes; larger → code 6.',
  recvBufSize: 'Bytes buffered (unsent) before `send` answers code 8.',
  maxMsgLength: 'DataProxy `max-msg-length`: largest encoded form per request.',
  retryTimes: 'Retries of a transient failure before the callback fires.',
  retryBaseMs: 'First backoff delay, ms (doubles per retry, with jitter).',
  retryMaxMs: 'Longest backoff delay, ms.',
  requestTimeoutMs: 'Per-request timeout, ms.',
  maxInflight: 'Requests in flight at once.',
  nodeParkMs: 'How long a failed node is skipped, ms.',
  enableZip: 'gzip requests to a bridge (DataProxy HTTP takes none).',
  minZipLen: 'Smallest body worth compressing, bytes.',
  writeKey: 'Write key the bridge expects for these streams.',
};
