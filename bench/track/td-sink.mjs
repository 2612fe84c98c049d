// The in-memory sink for thinkingdata-node: a fake `requestLib` under its own BatchConsumer.

const OK_REPLY = JSON.stringify({ code: 0, msg: 'success' });

/**
 * thinkingdata-node's BatchConsumer calls `config.requestLib.request(options, onResponse)` (the
 * `http`/`https` module); this stand-in takes the gzipped body and answers `{"code":0}`.
 */
export function createTdSink({ capture = false } = {}) {
  const stats = { requests: 0, wireBytes: 0, records: 0, captured: [] };
  const response = { statusCode: 200, on: (event, listener) => (event === 'data' ? listener(OK_REPLY) : event === 'end' ? listener() : undefined) };
  const requestLib = {
    request(options, onResponse) {
      const chunks = [];
      return {
        on: () => undefined,
        write: (chunk) => chunks.push(chunk),
        end() {
          const records = Number(options.headers['TA-Integration-Count']);
          const bytes = chunks.reduce((total, chunk) => total + chunk.length, 0);
          stats.requests += 1;
          stats.wireBytes += bytes;
          stats.records += records;
          if (capture) stats.captured.push({ body: Buffer.concat(chunks), records });
          // A real socket answers on a later turn; so does this one.
          queueMicrotask(() => onResponse(response));
        },
      };
    },
  };
  return { requestLib, stats };
}
