import type { TdRecord } from '../core/record.js';
import { createSender, type Sender } from '../sender/create-sender.js';
import type { RuntimeDeps } from '../sender/runtime-deps.js';
import { createErrorChannel, type Consumer, type ErrorChannel, type ErrorListener } from './consumer.js';
import { closedError, consumerSenderConfig, enqueueLine, readBoolean, readNumber, serialize, type SenderConsumerOptions } from './consumer-sender.js';
import { DebugDeliveryError } from './debug-delivery-error.js';

/**
 * Options of {@link DebugConsumerCore}.
 * @example const options: DebugConsumerOptions = { dataproxyUrls: [url], groupId: 'g', streamId: 's', deviceId: 'my-laptop' };
 */
export interface DebugConsumerOptions extends SenderConsumerOptions {
  /** Validate only: records are checked (strictly) and never delivered. Default false. */
  dryRun?: boolean;
  /** Added to each record as the `#device_id` property (unless it has one), to find the test device's data. */
  deviceId?: string;
}

const OWN_KEYS = ['dryRun', 'deviceId'] as const;

/**
 * ThinkingData's `DebugConsumer` over InLong, for development: every record goes alone in its
 * own request at once, `TDAnalytics` validates strictly (a bad record throws at `track`), and
 * failures come back in detail.
 *
 * The error path: `track()` still returns nothing (a request cannot be awaited there without
 * changing ThinkingData's API), so a failed record is kept and surfaces twice — at once through
 * `onError`, and as the rejection of the next `flush()` (or `close()`): a `DebugDeliveryError`
 * carrying the DataProxy `serverCode` (e.g. 115, topic not configured) and `serverMessage`,
 * and the `record`. When several failed, `flush()` rejects with the first and `onError` has
 * seen them all; a refused record (too long, buffer full) rejects it as a `RecordRejectedError`.
 * Transient failures are not retried unless `retryTimes` says so, so an answer comes fast.
 * @example
 * const td = new TDAnalyticsCore(new DebugConsumerCore({ dataproxyUrls: [url], groupId: 'g', streamId: 's' }, portableDeps()), {}, { clock });
 * td.track({ distinctId: 'd1', event: 'buy' });
 * await td.flush().catch((error: DebugDeliveryError) => console.error(error.serverCode, error.serverMessage));
 */
export class DebugConsumerCore implements Consumer {
  /** Forces strict validation in `TDAnalytics`. */
  readonly strict = true;
  readonly #sender: Sender | undefined;
  readonly #errors: ErrorChannel;
  readonly #groupId: string;
  readonly #streamId: string;
  readonly #deviceId: string | undefined;
  readonly #closeTimeoutMs: number;
  #failures: Error[] = [];
  #closing = false;

  constructor(options: DebugConsumerOptions, deps: RuntimeDeps) {
    const dryRun = readBoolean('dryRun', options.dryRun, false);
    this.#closeTimeoutMs = readNumber('closeTimeoutMs', options.closeTimeoutMs, 30_000, { min: 0 });
    // A pack of one, closed at once: each record is its own request, as ThinkingData's debug mode.
    const parsed = consumerSenderConfig(options, OWN_KEYS, { packCount: 1, packTimeoutMs: 0 });
    const retriesGiven = 'retryTimes' in options || 'retry_times' in options;
    const config = { ...parsed, retryTimes: retriesGiven ? parsed.retryTimes : 0 };
    this.#groupId = options.groupId;
    this.#streamId = options.streamId;
    this.#deviceId = options.deviceId || undefined;
    this.#errors = createErrorChannel(options.onError);
    // A dry run needs no destination; the config above was still checked.
    this.#sender = dryRun
      ? undefined
      : createSender(config, deps, {
          onFailure: (pack, error) => {
            for (const record of pack.records) this.#fail(new DebugDeliveryError(error, record), record);
          },
          onError: (error) => this.#errors.emit(error),
        });
  }

  add(record: TdRecord): void {
    const withDevice = this.#deviceId && !('#device_id' in record.properties) ? { ...record, properties: { ...record.properties, '#device_id': this.#deviceId } } : record;
    const line = serialize(withDevice, this.#errors);
    if (line === undefined || !this.#sender) return;
    if (this.#closing) return this.#fail(closedError(line), line);
    const refused = enqueueLine(this.#sender.pipeline, this.#groupId, this.#streamId, line, this.#errors);
    if (refused) this.#failures.push(refused);
  }

  /** Waits for every record sent so far; rejects with the first failure since the last `flush()`. */
  async flush(): Promise<void> {
    await this.#sender?.pipeline.flush();
    this.#throwFailures();
  }

  /** Like `flush()`, waiting at most `closeTimeoutMs`, then stops. */
  async close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = true;
      await this.#sender?.pipeline.close(this.#closeTimeoutMs);
      this.#sender?.stop();
    }
    this.#throwFailures();
  }

  addErrorListener(listener: ErrorListener): void {
    this.#errors.add(listener);
  }

  #fail(error: Error, record: string): void {
    this.#failures.push(error);
    this.#errors.emit(error, [record]);
  }

  #throwFailures(): void {
    const [first] = this.#failures.splice(0);
    if (first) throw first;
  }
}
