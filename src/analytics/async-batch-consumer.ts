import type { TdRecord } from '../core/record.js';
import { createSender, type Sender } from '../sender/create-sender.js';
import type { RuntimeDeps } from '../sender/runtime-deps.js';
import { createErrorChannel, type Consumer, type ErrorChannel, type ErrorListener } from './consumer.js';
import { closedError, consumerSenderConfig, enqueueLine, readBoolean, readNumber, serialize, type SenderConsumerOptions } from './consumer-sender.js';
import { RecordRejectedError } from './record-rejected-error.js';

/**
 * Options of {@link AsyncBatchConsumerCore}: the sender config plus ThinkingData's async keys.
 * @example const options: AsyncBatchConsumerOptions = { bridgeUrl, groupId: 'g', streamId: 's', flushSize: 50, interval: 1 };
 */
export interface AsyncBatchConsumerOptions extends SenderConsumerOptions {
  /** Records that make a request; default 20. Sets `packCount`. */
  flushSize?: number;
  /** Seconds between background flushes; default 3. Sets `packTimeoutMs`. */
  interval?: number;
  /** Records held (waiting or in flight) before new ones are refused; default 100000. */
  queueSize?: number;
  /** gzip where the destination takes it (a bridge). Default true. Sets `enableZip`. */
  compress?: boolean;
}

const OWN_KEYS = ['flushSize', 'interval', 'queueSize', 'compress'] as const;

/**
 * ThinkingData's `AsyncBatchConsumer` over InLong: `add` only queues; a background flusher sends
 * every `interval` seconds or once `flushSize` records wait, retrying each batch `retryTimes`
 * times (default 3). Past `queueSize` held records a new record is refused with a
 * `RecordRejectedError` (`reason: 'queueSize'`) through `onError`; nothing accepted before is
 * dropped to make room.
 * @example
 * const consumer = new AsyncBatchConsumerCore({ bridgeUrl: 'https://collect.example.com', groupId: 'g', streamId: 's', queueSize: 10_000 }, portableDeps());
 */
export class AsyncBatchConsumerCore implements Consumer {
  readonly #sender: Sender;
  readonly #errors: ErrorChannel;
  readonly #groupId: string;
  readonly #streamId: string;
  readonly #queueSize: number;
  readonly #closeTimeoutMs: number;
  #closing = false;

  constructor(options: AsyncBatchConsumerOptions, deps: RuntimeDeps) {
    const flushSize = readNumber('flushSize', options.flushSize, 20, { min: 1 });
    const interval = readNumber('interval', options.interval, 3, { min: 0 });
    const compress = readBoolean('compress', options.compress, true);
    this.#queueSize = readNumber('queueSize', options.queueSize, 100_000, { min: 1 });
    this.#closeTimeoutMs = readNumber('closeTimeoutMs', options.closeTimeoutMs, 30_000, { min: 0 });
    const config = consumerSenderConfig(options, OWN_KEYS, { packCount: flushSize, packTimeoutMs: interval * 1000, enableZip: compress });
    this.#groupId = options.groupId;
    this.#streamId = options.streamId;
    this.#errors = createErrorChannel(options.onError);
    this.#sender = createSender(config, deps, {
      onFailure: (pack, error) => this.#errors.emit(error, pack.records),
      onError: (error) => this.#errors.emit(error),
    });
  }

  add(record: TdRecord): void {
    const line = serialize(record, this.#errors);
    if (line === undefined) return;
    if (this.#closing) return this.#errors.emit(closedError(line), [line]);
    if (this.queued >= this.#queueSize) {
      const error = new RecordRejectedError('queueSize', `queue full: ${this.#queueSize} records are waiting (queueSize)`, line);
      return this.#errors.emit(error, [line]);
    }
    enqueueLine(this.#sender.pipeline, this.#groupId, this.#streamId, line, this.#errors);
  }

  /** Sends what is queued now; resolves when each batch is acknowledged or reported. */
  flush(): Promise<void> {
    return this.#sender.pipeline.flush();
  }

  /** Flushes for at most `closeTimeoutMs`; whatever is still undelivered then is reported. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    await this.#sender.pipeline.close(this.#closeTimeoutMs);
    this.#sender.stop();
  }

  addErrorListener(listener: ErrorListener): void {
    this.#errors.add(listener);
  }

  /** Records accepted and not yet acknowledged or reported as failed. */
  get queued(): number {
    // Counted from the pipeline's totals rather than its buffers: a pack on its way into the
    // outbox is in neither buffer for a moment, and must still count against the limit.
    const stats = this.#sender.pipeline.stats();
    return stats.accepted - stats.acked - stats.failed;
  }
}
