import type { TdRecord } from '../core/record.js';
import { DeliveryError } from '../core/errors/delivery-error.js';
import type { Pack } from '../core/types.js';
import { createSender, type Sender } from '../sender/create-sender.js';
import type { RuntimeDeps } from '../sender/runtime-deps.js';
import { createErrorChannel, type Consumer, type ErrorChannel, type ErrorListener } from './consumer.js';
import { closedError, consumerSenderConfig, enqueueLine, readBoolean, readNumber, serialize, type SenderConsumerOptions } from './consumer-sender.js';

/**
 * Options of {@link BatchConsumerCore}: the sender config plus ThinkingData's batch keys.
 * @example const options: BatchConsumerOptions = { dataproxyUrls: [url], groupId: 'g', streamId: 's', batchSize: 100, compress: false };
 */
export interface BatchConsumerOptions extends SenderConsumerOptions {
  /** Records per request; default 20, at most 200 (larger values are clamped). Sets `packCount`. */
  batchSize?: number;
  /** Seconds a record may wait for its batch to fill; default 3. Sets `packTimeoutMs`. */
  interval?: number;
  /** gzip where the destination takes it (a bridge; DataProxy's HTTP source takes none). Default true. Sets `enableZip`. */
  compress?: boolean;
  /** Failed batches kept for a later attempt; beyond it the oldest is dropped and reported. Default 50. */
  maxCacheSize?: number;
}

interface CachedBatch {
  groupId: string;
  streamId: string;
  records: string[];
  error: DeliveryError;
}

const OWN_KEYS = ['batchSize', 'interval', 'compress', 'maxCacheSize'] as const;
const MAX_BATCH = 200;

/**
 * ThinkingData's `BatchConsumer` over InLong: records go in batches of `batchSize` (or after
 * `interval` seconds) to the configured bridge or DataProxy nodes. A batch that still fails
 * after `retryTimes` retries (default 3) on a transient error is cached (up to `maxCacheSize`
 * batches, oldest dropped and reported) and sent again on the next acknowledged request,
 * `flush()` or `close()`. A batch the server rejects as a data error is reported, not retried.
 * @example
 * const consumer = new BatchConsumerCore({ dataproxyUrls: ['http://10.0.0.5:46802'], groupId: 'g', streamId: 's' }, portableDeps());
 * const td = new TDAnalyticsCore(consumer, {}, { clock });
 */
export class BatchConsumerCore implements Consumer {
  readonly #sender: Sender;
  readonly #errors: ErrorChannel;
  readonly #groupId: string;
  readonly #streamId: string;
  readonly #maxCacheSize: number;
  readonly #closeTimeoutMs: number;
  #cache: CachedBatch[] = [];
  #closing = false;

  constructor(options: BatchConsumerOptions, deps: RuntimeDeps) {
    const batchSize = readNumber('batchSize', options.batchSize, 20, { min: 1, max: MAX_BATCH });
    const interval = readNumber('interval', options.interval, 3, { min: 0 });
    const compress = readBoolean('compress', options.compress, true);
    this.#maxCacheSize = readNumber('maxCacheSize', options.maxCacheSize, 50, { min: 0 });
    this.#closeTimeoutMs = readNumber('closeTimeoutMs', options.closeTimeoutMs, 30_000, { min: 0 });
    const config = consumerSenderConfig(options, OWN_KEYS, { packCount: batchSize, packTimeoutMs: interval * 1000, enableZip: compress });
    this.#groupId = options.groupId;
    this.#streamId = options.streamId;
    this.#errors = createErrorChannel(options.onError);
    this.#sender = createSender(config, deps, {
      onFailure: (pack, error) => this.#onFailure(pack, error),
      // An acknowledged request means the destination is back: the right moment for the cache.
      onEvent: (event) => {
        if (event.type === 'ack') this.#resendCache();
      },
      onError: (error) => this.#errors.emit(error),
    });
  }

  add(record: TdRecord): void {
    const line = serialize(record, this.#errors);
    if (line === undefined) return;
    if (this.#closing) return this.#errors.emit(closedError(line), [line]);
    enqueueLine(this.#sender.pipeline, this.#groupId, this.#streamId, line, this.#errors);
  }

  /** Sends the open batch and the cached ones; resolves when each is acknowledged, cached or reported. */
  async flush(): Promise<void> {
    this.#resendCache();
    await this.#sender.pipeline.flush();
  }

  /** Flushes for at most `closeTimeoutMs`; whatever is still undelivered then is reported. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#resendCache();
    this.#closing = true;
    await this.#sender.pipeline.close(this.#closeTimeoutMs);
    this.#sender.stop();
    for (const batch of this.#cache.splice(0)) {
      this.#errors.emit(new DeliveryError('closed', `closed with a failed batch still cached: ${batch.error.message}`, { permanent: false, cause: batch.error }), batch.records);
    }
  }

  addErrorListener(listener: ErrorListener): void {
    this.#errors.add(listener);
  }

  /** Batches waiting in the failure cache. */
  get cachedBatches(): number {
    return this.#cache.length;
  }

  #onFailure(pack: Pack, error: DeliveryError): void {
    if (error.permanent || this.#closing) return this.#errors.emit(error, pack.records);
    this.#cache.push({ groupId: pack.groupId, streamId: pack.streamId, records: pack.records, error });
    while (this.#cache.length > this.#maxCacheSize) {
      const dropped = this.#cache.shift();
      if (!dropped) break;
      const message = `dropped from the failure cache (maxCacheSize ${this.#maxCacheSize}): ${dropped.error.message}`;
      this.#errors.emit(new DeliveryError(dropped.error.reason, message, { permanent: false, cause: dropped.error }), dropped.records);
    }
  }

  #resendCache(): void {
    if (this.#closing) return;
    for (const batch of this.#cache.splice(0)) {
      for (const line of batch.records) enqueueLine(this.#sender.pipeline, batch.groupId, batch.streamId, line, this.#errors);
    }
  }
}
