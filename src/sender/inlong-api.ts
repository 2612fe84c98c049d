import { parseSenderConfig, type SenderConfig } from '../core/config.js';
import { SdkCode } from '../core/codes.js';
import { ConfigError, isConfigError } from '../core/errors/config-error.js';
import type { DeliveryError } from '../core/errors/delivery-error.js';
import type { PipelineStats } from '../core/pipeline.js';
import type { Pack } from '../core/types.js';
import { utf8Length } from '../core/utf8.js';
import { createSender, type Sender } from './create-sender.js';
import type { RuntimeDeps } from './runtime-deps.js';

/**
 * The C++ SDK's callback, called only when a message finally failed, once per message. The
 * trailing `error` is ours: what ended it.
 */
export type SendCallback = (
  groupId: string,
  streamId: string,
  msg: string,
  msgLen: number,
  reportTime: number,
  clientIp: string,
  error: DeliveryError,
) => void;

interface MessageMeta {
  callback?: SendCallback;
  reportTime: number;
}

/**
 * The InLong DataProxy SDK twin: the C++/Python `InLongApi` over HTTP. Several independent
 * instances may live in one process.
 * @example
 * const api = new InLongApi();
 * await api.initApi({ inlong_group_ids: 'g1', manager_url: 'http://manager:8083/inlong/manager/openapi/dataproxy/getIpList' });
 * api.send('g1', 's1', 'hello', (g, s, msg, len, time, ip, error) => console.error(error));
 * await api.closeApi(5000);
 */
export class InLongApiCore {
  #deps: RuntimeDeps;
  #sender: Sender | undefined;
  #config: SenderConfig | undefined;
  #closed = false;
  #failed = false;
  #defaultCallback: SendCallback | undefined;

  constructor(deps: RuntimeDeps) {
    this.#deps = deps;
  }

  /**
   * Initialises from a config object, JSON text, or a URL/path of a JSON file (C++ `InitApi`).
   * Resolves 0, or 4 when already initialised; rejects with `ConfigError` naming the option.
   * With an object or JSON text, `send` works as soon as this returns, before it resolves.
   */
  initApi(config: object | string | URL): Promise<number> {
    if (this.#sender || this.#closed) return Promise.resolve(SdkCode.kMultiInit);
    const text = typeof config === 'string' ? config.trim() : undefined;
    if (config instanceof URL || (text !== undefined && !text.startsWith('{'))) {
      const location = String(config);
      if (!this.#deps.readText) return Promise.reject(new ConfigError('config', `cannot read ${location} in this runtime; pass the config object instead`));
      return this.#deps.readText(location).then(
        (loaded) => this.initApi(loaded),
        (error: unknown) => {
          this.#failed = true;
          throw new ConfigError('config', `cannot read ${location}: ${String(error)}`, { cause: error });
        },
      );
    }
    try {
      this.#config = parseSenderConfig(config);
      this.#sender = createSender(this.#config, this.#deps, { onFailure: (pack, error) => this.#reportFailure(pack, error) });
    } catch (error) {
      this.#failed = true;
      return Promise.reject(error);
    }
    return this.#sender.ready().then(
      () => SdkCode.kSuccess,
      (error: unknown) => {
        // A setting checked when its route loads (the TCP ones) fails init as one checked at once.
        if (isConfigError(error)) {
          this.#failed = true;
          this.#sender?.stop();
        }
        throw error;
      },
    );
  }

  /**
   * Queues one message; returns a C++ `SdkCode` at once: 0 accepted, 6 too long, 7 invalid
   * input, 8 buffer full, 10 init failed, 22 not initialised or already closed. `callback`
   * runs only if the message finally fails. A message may hold `\n`: it then travels alone.
   * A number in the callback's place is the C++ `msg_len`, ignored as in the Python SDK.
   */
  send(groupId: string, streamId: string, msg: string, callbackOrLength?: SendCallback | number, callback?: SendCallback): number {
    const onFailure = typeof callbackOrLength === 'function' ? callbackOrLength : callback;
    return this.#enqueue(groupId, streamId, msg, undefined, onFailure);
  }

  /** `send` with the message's own data time in ms (C++ `Send(..., data_time, cb)`). */
  sendWithTime(groupId: string, streamId: string, msg: string, dataTime: number, callback?: SendCallback): number {
    return this.#enqueue(groupId, streamId, msg, dataTime, callback);
  }

  /** The callback for messages sent without one. */
  setDefaultCallback(callback: SendCallback | undefined): void {
    this.#defaultCallback = callback;
  }

  /**
   * Flushes, waits at most `maxWaitMs` for delivery, then stops; resolves 0 by the deadline.
   * What is still undelivered then reaches its callback, once. Later sends answer 22.
   */
  async closeApi(maxWaitMs: number): Promise<number> {
    if (this.#closed) return SdkCode.kSuccess;
    this.#closed = true;
    const sender = this.#sender;
    if (!sender) return SdkCode.kSuccess;
    await sender.pipeline.close(maxWaitMs);
    sender.stop();
    return SdkCode.kSuccess;
  }

  /** Sends what is buffered now and resolves when all of it is acknowledged or failed. */
  flush(): Promise<void> {
    return this.#sender?.pipeline.flush() ?? Promise.resolve();
  }

  /** Counters: accepted, acked, failed, retried, buffered, queued, inFlight. */
  stats(): PipelineStats | undefined {
    return this.#sender?.pipeline.stats();
  }

  #enqueue(groupId: string, streamId: string, msg: string, dataTime: number | undefined, callback: SendCallback | undefined): number {
    if (this.#failed) return SdkCode.kSendAfterClose;
    const sender = this.#sender;
    if (!sender || this.#closed) {
      // C++ checks the length before anything else, even before init.
      if (typeof msg === 'string' && this.#config && utf8Length(msg) > this.#config.extPackSize) return SdkCode.kMsgTooLong;
      return SdkCode.kSendBeforeInit;
    }
    const reportTime = dataTime ?? this.#deps.clock.now();
    const meta: MessageMeta = { callback, reportTime };
    return sender.pipeline.enqueue(groupId, streamId, msg, reportTime, meta);
  }

  #reportFailure(pack: Pack, error: DeliveryError): void {
    pack.records.forEach((msg, index) => {
      const meta = pack.meta?.[index] as MessageMeta | undefined;
      const callback = meta?.callback ?? this.#defaultCallback;
      if (!callback) return;
      try {
        callback(pack.groupId, pack.streamId, msg, utf8Length(msg), meta?.reportTime ?? pack.dt, '', error);
      } catch (thrown) {
        // A throwing callback must not stop the others from hearing about their messages.
        queueMicrotask(() => {
          throw thrown;
        });
      }
    });
  }
}
