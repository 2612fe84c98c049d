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
  dataproxyUrls: 'DataProxy nodes to use directly: HTTP `http://10.0.0.5:46802`, or TCP `tcp://10.0.0.5:46801`.',
  bridgeUrl: 'An inlong-js bridge to send to instead of DataProxy.',
  packSize: 'Bytes that close a pack (also capped by `maxMsgLength`).',
  packCount: 'Records that close a pack.',
  packTimeoutMs: 'Age that closes a pack, ms.',
  extPackSize: 'Largest single message, bytes; larger → code 6.',
  recvBufSize: 'Bytes buffered (unsent) before `send` answers code 8.',
  maxMsgLength: 'DataProxy `max-msg-length`: largest encoded form (TCP: frame) per request.',
  retryTimes: 'Retries of a transient failure before the callback fires.',
  retryBaseMs: 'First backoff delay, ms (doubles per retry, with jitter).',
  retryMaxMs: 'Longest backoff delay, ms.',
  requestTimeoutMs: 'Per-request timeout (TCP: wait for the ack, then resend elsewhere), ms.',
  maxInflight: 'Requests (TCP: frames awaiting their ack) in flight at once.',
  nodeParkMs: 'How long a failed node is skipped, ms.',
  enableZip: 'gzip requests to a bridge; Snappy frame bodies over TCP (DataProxy HTTP takes none).',
  minZipLen: 'Smallest body worth compressing, bytes.',
  writeKey: 'Write key the bridge expects for these streams.',
  protocol: 'With `managerUrl`: discover and speak `http` or `tcp` nodes (`tcp://` nodes imply `tcp`).',
  msgType: 'TCP message type; only 7 (binary multi-body, the InLong SDKs\' default).',
  heartbeatIntervalMs: 'TCP: longest a connection goes without a write before a heartbeat, ms (at most 100000).',
  tcpIdleTimeMs: 'TCP: a connection that carried no frame this long is closed, ms.',
};
