import { defaultSocketConnector } from '../adapters/socket/auto.js';
import type { Clock, SocketConnector, Transport } from '../core/types.js';
import type { NodeRoute } from '../dataproxy/dataproxy-endpoint.js';
import { frameBytes, MAX_RECORDS_PER_FRAME } from '../dataproxy/tcp/frame.js';
import { snappyZip } from '../dataproxy/tcp/snappy.js';
import { createTcpEndpoint } from '../dataproxy/tcp/tcp-endpoint.js';
import { utf8Length } from '../core/utf8.js';
import type { createDataProxySink } from './forward.js';
import type { Sink, SinkPack } from './sink.js';

export interface TcpSinkOptions {
  clock: Clock;
  transport: Transport;
  /** Default: the runtime's own sockets (`defaultSocketConnector`). */
  connector?: SocketConnector;
  route: (groupId: string) => NodeRoute;
  /** DataProxy `max-msg-length`, the 4 length bytes included: no frame is longer. */
  maxMsgLength: number;
  requestTimeoutMs: number;
  budgetMs: number;
  description: string;
  log?: (line: string) => void;
  /** Snappy for bodies above this many bytes; default 512 (the C++ SDK's `min_zip_len`). */
  minZipLen?: number;
  /** Frames awaiting their ack per connection; default 64. */
  window?: number;
}

/** Bytes per frame that are not records: its 29 fixed bytes and the attr. */
const frameOverhead = (pack: SinkPack): number => frameBytes(pack.groupId, pack.streamId, []);

/**
 * Splits a pack into frames that fit `maxMsgLength` (which counts the 4 length bytes) and hold
 * at most 65,535 records; `undefined` when one record cannot fit on its own.
 * @example chunkFrames({ groupId: 'g', streamId: 's', dt: 0, records }, 65_536)
 */
export function chunkFrames(pack: SinkPack, maxMsgLength: number): SinkPack[] | undefined {
  const budget = maxMsgLength - frameOverhead(pack);
  const chunks: SinkPack[] = [];
  let current: string[] = [];
  let size = 0;
  for (const record of pack.records) {
    const length = 4 + utf8Length(record);
    if (length > budget) return undefined;
    if (current.length > 0 && (size + length > budget || current.length === MAX_RECORDS_PER_FRAME)) {
      chunks.push({ ...pack, records: current });
      current = [];
      size = 0;
    }
    size += length;
    current.push(record);
  }
  if (current.length > 0) chunks.push({ ...pack, records: current });
  return chunks;
}

/**
 * Forwards packs to DataProxy's TCP source: each pack (or each frame-sized part of it) is one
 * msgType-7 frame on a pooled, pipelined connection, Snappy above `minZipLen`. The retry loop,
 * time budget, node parking and result codes are the HTTP sink's (`createDataProxySink`, passed
 * in by the caller that has it loaded already, so this lazy chunk does not carry it again): a
 * pack's result is `"0"` only after DataProxy acked every frame of it.
 * @example const sink = createTcpSink({ clock, transport, route: () => ({ pool }), maxMsgLength: 65_536, requestTimeoutMs: 5000, budgetMs: 8000, description: 'DataProxy TCP nodes' }, createDataProxySink);
 */
export function createTcpSink(options: TcpSinkOptions, retryLoop: typeof createDataProxySink): Sink {
  const connector = options.connector ?? defaultSocketConnector();
  const build = (): Sink & { close(): Promise<void> } => {
    const endpoint = createTcpEndpoint({
      clock: options.clock,
      connector,
      route: options.route,
      timeoutMs: options.requestTimeoutMs,
      maxFrameBytes: options.maxMsgLength,
      zip: snappyZip(options.minZipLen ?? 512),
      window: options.window ?? 64,
      // DataProxy closes a connection after 180 s without a byte; the C++ SDK's defaults.
      heartbeatMs: 60_000,
      idleMs: 600_000,
      onError: (error) => options.log?.(`DataProxy TCP connection dropped: ${error.message}`),
    });
    const sink = retryLoop({ ...options, attempt: (pack, timeoutMs) => endpoint.sendPack(pack, timeoutMs), chunk: chunkFrames });
    return { ...sink, name: 'dataproxy-tcp', close: async () => endpoint.close() };
  };
  if (!connector.requestScoped) return build();
  // Workers: connections opened for this request's packs, closed when they are all answered.
  return {
    name: 'dataproxy-tcp',
    description: options.description,
    async write(packs) {
      const sink = build();
      try {
        return await sink.write(packs);
      } finally {
        await sink.close();
      }
    },
  };
}
