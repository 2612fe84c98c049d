import { ConfigError } from '../core/errors/config-error.js';
import { tcpIdProblem } from '../dataproxy/tcp/ids.js';

/**
 * A `dataproxy` node as given: `tcp://host:port` checked and trimmed; others left to the HTTP check.
 * @example tcpNode('tcp://10.0.0.5:46801/') // 'tcp://10.0.0.5:46801'
 */
export function tcpNode(value: string): string {
  const match = /^tcp:\/\/(\[[\d:a-f.]+\]|[^\s/:@[\]]+):(\d{1,5})\/?$/i.exec(value);
  if (!match || Number(match[2]) > 65_535) throw new ConfigError('dataproxy', `expects tcp://host:port, got ${JSON.stringify(value)}`);
  return `tcp://${match[1]}:${match[2]}`;
}

/**
 * Which DataProxy source the bridge forwards to: `tcp` for `tcp://` nodes (all of them) or
 * `protocol: 'tcp'` with a Manager. Over TCP every allowed stream must fit a frame's attr, so
 * nothing accepted can fail to be carried later.
 * @example bridgeProtocol(undefined, ['tcp://10.0.0.5:46801'], false, ['g/s']) // 'tcp'
 */
export function bridgeProtocol(value: unknown, dataproxy: readonly string[], manager: boolean, streams: readonly string[]): 'http' | 'tcp' {
  const tcp = dataproxy.filter((url) => url.startsWith('tcp:')).length;
  const protocol = tcp > 0 || value === 'tcp' ? 'tcp' : 'http';
  // tcp:// nodes with "http", http nodes with "tcp", both kinds, or "tcp" with neither nodes nor a Manager.
  if ((value !== undefined && value !== protocol) || (tcp > 0 && tcp < dataproxy.length) || (value === 'tcp' && !manager && tcp === 0)) {
    throw new ConfigError('protocol', 'is "http" (default) or "tcp": tcp:// dataproxy nodes only, or a manager');
  }
  if (protocol === 'tcp') {
    for (const stream of streams) {
      const [groupId = '', streamId = ''] = stream.split('/');
      const problem = tcpIdProblem('groupId', groupId) ?? tcpIdProblem('streamId', streamId);
      if (problem) throw new ConfigError('streams', problem);
    }
  }
  return protocol;
}
