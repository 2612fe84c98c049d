import type { TdRecord } from '../core/record.js';

/**
 * Receives an asynchronous problem of a consumer: a delivery failure, a refused record, a file
 * write error. `records` are the JSON lines it concerns, when there are any.
 * @example const onError: ErrorListener = (error, records) => log.warn(error.message, records?.length);
 */
export type ErrorListener = (error: Error, records?: readonly string[]) => void;

/**
 * Where `TDAnalytics` hands its records (ThinkingData's consumer contract).
 * @example
 * const seen: TdRecord[] = [];
 * const consumer: Consumer = { add: (record) => void seen.push(record), flush: async () => {}, close: async () => {} };
 */
export interface Consumer {
  /** Takes one built record. Never throws: problems go to the consumer's error listeners. */
  add(record: TdRecord): void;
  /** Sends or writes what is held now. */
  flush(): Promise<void>;
  /** Flushes, then releases timers and connections. Later records are refused. */
  close(): Promise<void>;
  /** True forces strict validation in `TDAnalytics` (the `DebugConsumer`). */
  readonly strict?: boolean;
  /** Subscribes to asynchronous problems; `TDAnalytics` adds its `onError` here. */
  addErrorListener?(listener: ErrorListener): void;
}

/**
 * A fan-out of errors to the consumer's own `onError` and to subscribers.
 * @example const errors: ErrorChannel = createErrorChannel(options.onError);
 */
export interface ErrorChannel {
  emit(error: Error, records?: readonly string[]): void;
  add(listener: ErrorListener): void;
}

/**
 * Builds the error fan-out every consumer uses.
 * @example const errors = createErrorChannel(options.onError); errors.emit(new Error('x'));
 */
export function createErrorChannel(first?: ErrorListener): ErrorChannel {
  const listeners: ErrorListener[] = first ? [first] : [];
  return {
    emit(error, records) {
      for (const listener of listeners) {
        try {
          listener(error, records);
        } catch (thrown) {
          // A throwing listener must neither stop the others nor break the delivery loop that
          // reported the error; rethrow it where the host sees it as an uncaught error.
          queueMicrotask(() => {
            throw thrown;
          });
        }
      }
    },
    add(listener) {
      listeners.push(listener);
    },
  };
}
