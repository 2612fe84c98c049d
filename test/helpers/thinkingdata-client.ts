import * as ThinkingData from 'thinkingdata-node';

/**
 * Sends `count` track events with ThinkingData's own Node SDK in batch mode (10 per request) and
 * resolves with the errors its callbacks saw, once it heard back about every request.
 * @example const errors = await sendWithThinkingData(bridge.url, 45, { compress: true });
 */
export async function sendWithThinkingData(
  url: string,
  count: number,
  options: { compress: boolean; properties?: (index: number) => object; extra?: (index: number) => object; timeoutMs?: number },
): Promise<unknown[]> {
  const td = ThinkingData.initWithBatchMode('app-1', url, { batchSize: 10, compress: options.compress });
  const errors: unknown[] = [];
  let calls = 0;
  const callback = (error: unknown) => {
    calls++;
    if (error) errors.push(error);
  };
  for (let index = 0; index < count; index++) {
    const properties = options.properties?.(index) ?? { num: index, text: 'é€😀 a&b;c' };
    td.track({ distinctId: `d${index}`, event: 'buy', properties, callback, ...(options.extra?.(index) ?? {}) });
  }
  td.flush(callback);
  // One callback per request: full batches of 10 plus the final flush.
  const expected = Math.ceil(count / 10);
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  while (calls < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return errors;
}
