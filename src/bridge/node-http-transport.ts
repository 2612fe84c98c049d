import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { parseRetryAfter } from '../adapters/transport/retry-after.js';
import { NetworkError } from '../core/errors/network-error.js';
import type { Transport } from '../core/types.js';

export interface NodeHttpTransportOptions {
  /** Sockets per DataProxy node. Default 64. */
  maxSockets?: number;
  /**
   * Idle keep-alive sockets are closed after this long, ms. Default 30,000: well under DataProxy's
   * 180 s read timeout, after which Netty writes an unsolicited error reply on the idle socket
   * (spec 1.9) that a pooled client could mistake for the next answer.
   */
  idleMs?: number;
}

/**
 * A `Transport` over `node:http(s)` with keep-alive agents, for the Node bridge server's
 * forwarding. Node's built-in fetch (undici) costs several times more CPU per request, and the
 * bridge sends one upstream request per pack. Rejects with `NetworkError` when no complete reply
 * arrived (`timedOut` for the deadline); any status is a reply.
 * @example
 * const transport = createNodeHttpTransport();
 * await transport.send({ url: 'http://127.0.0.1:46802/dataproxy/message', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'groupId=g&streamId=s&body=x', timeoutMs: 5000 });
 * transport.close();
 */
export function createNodeHttpTransport(options: NodeHttpTransportOptions = {}): Transport & { close(): void } {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, timeout: options.idleMs ?? 30_000 };
  const http = new Agent(agentOptions);
  const https = new HttpsAgent(agentOptions);

  return {
    name: 'node-http',
    send(request) {
      return new Promise((resolve, reject) => {
        const url = new URL(request.url);
        const secure = url.protocol === 'https:';
        const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
        let settled = false;
        let timedOut = false;
        const fail = (error: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const what = timedOut ? `timed out after ${request.timeoutMs} ms` : `failed: ${error instanceof Error ? error.message : String(error)}`;
          reject(new NetworkError(`POST ${url.origin}${url.pathname} ${what}`, { timedOut, cause: error }));
        };
        const onResponse = (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('close', () => {
            if (settled) return;
            // A reply cut off mid-body says nothing about the data: a network failure.
            if (!response.complete) return fail(new Error('connection closed before the reply was complete'));
            settled = true;
            clearTimeout(timer);
            const retryAfter = response.headers['retry-after'];
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              retryAfterMs: parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : null, Date.now()),
            });
          });
        };
        const outgoing = (secure ? httpsRequest : httpRequest)(
          url,
          { method: 'POST', headers: { ...request.headers, 'content-length': String(body.byteLength) }, agent: secure ? https : http },
          onResponse,
        );
        const timer = setTimeout(() => {
          timedOut = true;
          outgoing.destroy(new Error('deadline'));
        }, Math.max(1, request.timeoutMs));
        outgoing.on('error', fail);
        outgoing.end(body);
      });
    },
    close() {
      http.destroy();
      https.destroy();
    },
  };
}
