import type { Consumer, ErrorListener } from '../../analytics/consumer.js';
import { createErrorChannel } from '../../analytics/consumer.js';
import { RecordRejectedError } from '../../analytics/record-rejected-error.js';
import { SdkCode, sdkCodeName } from '../../core/codes.js';
import type { TdRecord } from '../../core/record.js';
import type { InLongApiCore } from '../../sender/inlong-api.js';

/**
 * A ThinkingData consumer that queues its records into an `InLongApi`, so `td.track()` and
 * `api.send()` of one Worker request share one pipeline and leave in one flush. Closing is the
 * owner's job (the middleware closes the API inside `ctx.waitUntil`), so `close()` only flushes.
 * @example
 * const consumer = createApiConsumer(api, 'group', 'stream');
 * const td = new TDAnalyticsCore(consumer, {}, { clock });
 */
export function createApiConsumer(api: InLongApiCore, groupId: string, streamId: string, onError?: ErrorListener): Consumer {
  const errors = createErrorChannel(onError);
  return {
    add(record: TdRecord) {
      let line: string;
      try {
        line = JSON.stringify(record);
      } catch (error) {
        // A cycle or BigInt that slipped past lenient validation: reported, never thrown at the handler.
        errors.emit(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const code = api.send(groupId, streamId, line, (_group, _stream, msg, _length, _time, _ip, error) => errors.emit(error, [msg]));
      if (code === SdkCode.kSuccess) return;
      const name = sdkCodeName(code) ?? String(code);
      errors.emit(new RecordRejectedError(name, `record refused by the sender: ${name} (${code})`, line), [line]);
    },
    flush: () => api.flush(),
    close: () => api.flush(),
    addErrorListener: (listener) => errors.add(listener),
  };
}
