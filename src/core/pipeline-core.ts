import type { Clock, Pack } from './types.js';
import { SdkCode, type SdkCodeValue } from './codes.js';
import { createBatcher } from './batcher.js';
import { createMemoryOutbox, type Outbox } from './outbox.js';
import type { Delivery, DeliveryEvent, DeliveryOptions, Endpoint } from './delivery.js';
import { DeliveryError } from './errors/delivery-error.js';
import type { BackoffOptions } from './backoff.js';
import { utf8Length } from './utf8.js';

export interface PipelineOptions extends PipelineCoreOptions {
  endpoint: Endpoint;
}

/** Builds the delivery loop over the pipeline's outbox; the endpoint is the factory's business. */
export type DeliveryFactory = (options: Omit<DeliveryOptions, 'endpoint'>) => Delivery;

/** Everything a pipeline needs but the delivery loop. */
export interface PipelineCoreOptions {
  clock: Clock;
  /** Default: a memory outbox. */
  outbox?: Outbox;
  packCount: number;
  /** Most wire bytes in one pack: `encode`'s length, or UTF-8 bytes without it. */
  packBytes: number;
  packTimeoutMs: number;
  /** Bytes held (open packs + outbox) before `enqueue` answers `kRecvBufferFull`. */
  maxBufferBytes: number;
  /** Most UTF-8 bytes in one record before `enqueue` answers `kMsgTooLong`. */
  maxRecordBytes: number;
  retries: number;
  backoff: BackoffOptions;
  concurrency: number;
  /** Wire form of one record, computed once per record; packs are sized by it. */
  encode?: (record: string) => string;
  /** Called once per pack that finally failed. */
  onFailure?: (pack: Pack, error: DeliveryError) => void;
  /** Every delivery event, for stats and tooling. */
  onEvent?: (event: DeliveryEvent) => void;
}

export interface PipelineStats {
  accepted: number;
  acked: number;
  failed: number;
  retried: number;
  /** Records in open packs. */
  buffered: number;
  /** Records in the outbox (waiting or in flight). */
  queued: number;
  inFlight: number;
}

export interface Pipeline {
  /** Accepts one record; answers at once with a C++ `SdkCode` (0 = accepted into the buffer). */
  enqueue(groupId: string, streamId: string, record: string, dt?: number, meta?: unknown): SdkCodeValue;
  /** Closes open packs and resolves when everything accepted so far is acked or finally failed. */
  flush(): Promise<void>;
  /**
   * Flushes for at most `maxWaitMs`, then stops. With a non-durable outbox, what is still
   * undelivered reaches `onFailure` (once) instead of vanishing.
   */
  close(maxWaitMs: number): Promise<void>;
  stats(): PipelineStats;
  readonly closed: boolean;
}

/**
 * The pipeline of pipeline.ts's `createPipeline` with the delivery loop built by `makeDelivery`: the facades pass one
 * that loads the loop, the endpoint and the transport on first use (src/sender/lazy-delivery.ts),
 * so what `enqueue` needs to answer at once is all that a first call waits for.
 * @example createPipelineWith(options, (deliveryOptions) => createDelivery({ ...deliveryOptions, endpoint }))
 */
export function createPipelineWith(options: PipelineCoreOptions, makeDelivery: DeliveryFactory): Pipeline {
  const { clock } = options;
  const outbox = options.outbox ?? createMemoryOutbox();
  const { encode } = options;
  const counters = { accepted: 0, acked: 0, failed: 0, retried: 0 };
  const pendingPuts = new Set<Promise<void>>();
  let puttingBytes = 0;
  let closed = false;

  const onEvent = (event: DeliveryEvent): void => {
    if (event.type === 'ack') counters.acked += event.pack.records.length;
    if (event.type === 'retry') counters.retried += 1;
    if (event.type === 'fail') {
      counters.failed += event.pack.records.length;
      options.onFailure?.(event.pack, event.error);
    }
    options.onEvent?.(event);
  };

  const delivery = makeDelivery({ clock, outbox, retries: options.retries, backoff: options.backoff, concurrency: options.concurrency, onEvent });

  const store = (pack: Pack): void => {
    puttingBytes += pack.bytes;
    const put = outbox.put({ ...pack, notBefore: 0 }).then(
      () => delivery.kick(),
      (error: unknown) => onEvent({ type: 'fail', pack, error: new DeliveryError('storage', `outbox refused the pack: ${String(error)}`, { permanent: false, cause: error }) }),
    );
    const tracked = put.finally(() => {
      puttingBytes -= pack.bytes;
      pendingPuts.delete(tracked);
    });
    pendingPuts.add(tracked);
  };

  const batcher = createBatcher({ clock, packCount: options.packCount, packBytes: options.packBytes, packTimeoutMs: options.packTimeoutMs, encode, onPack: store });

  const flush = async (): Promise<void> => {
    batcher.flush();
    while (pendingPuts.size > 0) await Promise.all(pendingPuts);
    await delivery.idle();
  };

  return {
    enqueue(groupId, streamId, record, dt, meta) {
      // Same order of checks as the C++ SDK's Send: length first, then input, then state.
      const bytes = typeof record === 'string' ? utf8Length(record) : 0;
      if (bytes > options.maxRecordBytes) return SdkCode.kMsgTooLong;
      if (!groupId || !streamId || typeof groupId !== 'string' || typeof streamId !== 'string') return SdkCode.kInvalidInput;
      if (typeof record !== 'string' || record.length === 0) return SdkCode.kInvalidInput;
      if (closed) return SdkCode.kSendBeforeInit;
      const encoded = encode?.(record);
      const wire = encoded?.length ?? bytes;
      if (wire > options.packBytes) return SdkCode.kMsgTooLong;
      const held = batcher.size().bytes + outbox.size().bytes + puttingBytes;
      if (held + bytes > options.maxBufferBytes) return SdkCode.kRecvBufferFull;
      batcher.add(groupId, streamId, record, dt ?? clock.now(), meta, encoded, bytes);
      counters.accepted += 1;
      return SdkCode.kSuccess;
    },
    flush,
    async close(maxWaitMs) {
      if (closed) return;
      closed = true;
      let deadline: unknown;
      const timedOut = new Promise<void>((resolve) => {
        deadline = clock.setTimeout(resolve, Math.max(0, maxWaitMs));
      });
      await Promise.race([flush(), timedOut]);
      clock.clearTimeout(deadline);
      delivery.stop();
      batcher.stop();
      if (outbox.durable) return;
      // Packs formed just before the deadline are still being stored; take them too.
      while (pendingPuts.size > 0) await Promise.all(pendingPuts);
      for (const pack of await outbox.takeAll()) {
        onEvent({ type: 'fail', pack, error: new DeliveryError('closed', `client closed after ${maxWaitMs} ms with the pack undelivered`, { permanent: false }) });
      }
    },
    stats() {
      const queued = outbox.size().records;
      return { ...counters, buffered: batcher.size().records, queued, inFlight: delivery.inFlight() };
    },
    get closed() {
      return closed;
    },
  };
}
