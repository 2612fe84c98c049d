/**
 * Fault switches for the playground, so a user can watch retries and recovery. They live here,
 * around the bridge, and nothing in src/ knows about them:
 * - offline: message posts lose their connection (the page sees a network error);
 * - reply:   message posts are answered with a transient DataProxy reply instead of reaching the
 *            bridge (code 1 "sink not ready", code 114 "channel full", HTTP 503 + Retry-After);
 * - slow:    message posts wait this long before the bridge sees them (past the page's request
 *            timeout the page retries, and the bridge drops the repeat by `#uuid`);
 * - sinkFull: the sink's writes fail as a full disk would, so the *real* bridge answers its own
 *            transient code and counts the records as failed.
 */

/** The reply faults the page can pick, with what the wire carries for each. */
export const REPLY_FAULTS = {
  off: undefined,
  code1: { status: 200, body: { code: '1', msg: 'sink not ready (playground fault)' } },
  code114: { status: 200, body: { code: '114', msg: 'channel put failure: channel full (playground fault)' } },
  http503: { status: 503, body: { code: '503', msg: 'service unavailable (playground fault)' }, headers: { 'retry-after': '1' } },
};

const SLOW_LIMIT_MS = 30_000;

/**
 * The switches and their counters. `set` validates a patch from the page and returns the new state.
 * @example const faults = createFaults(); faults.set({ reply: 'code1', rate: 0.5 });
 */
export function createFaults() {
  const state = { offline: false, reply: 'off', rate: 1, slowMs: 0, sinkFull: false };
  const injected = { dropped: 0, replied: 0, delayed: 0, sinkFailed: 0 };
  const snapshot = () => ({ ...state, injected: { ...injected } });
  return {
    state: snapshot,
    set(patch) {
      if (typeof patch !== 'object' || patch === null) throw new TypeError('expected a JSON object');
      if ('offline' in patch) state.offline = patch.offline === true;
      if ('sinkFull' in patch) state.sinkFull = patch.sinkFull === true;
      if ('reply' in patch) {
        if (!Object.hasOwn(REPLY_FAULTS, patch.reply)) throw new TypeError(`reply must be one of ${Object.keys(REPLY_FAULTS).join(', ')}`);
        state.reply = patch.reply;
      }
      if ('rate' in patch) {
        if (typeof patch.rate !== 'number' || !(patch.rate > 0 && patch.rate <= 1)) throw new TypeError('rate must be a number in (0, 1]');
        state.rate = patch.rate;
      }
      if ('slowMs' in patch) {
        if (!Number.isInteger(patch.slowMs) || patch.slowMs < 0 || patch.slowMs > SLOW_LIMIT_MS) throw new TypeError(`slowMs must be an integer 0..${SLOW_LIMIT_MS}`);
        state.slowMs = patch.slowMs;
      }
      return snapshot();
    },
    /**
     * What to do with one message post before the bridge sees it: `'drop'` (cut the connection),
     * a `Response` to answer instead, or `undefined` to pass it on (after any delay).
     */
    async intercept() {
      if (state.offline) {
        injected.dropped++;
        return 'drop';
      }
      if (state.slowMs > 0) {
        injected.delayed++;
        await new Promise((resolve) => setTimeout(resolve, state.slowMs));
      }
      const fault = REPLY_FAULTS[state.reply];
      // `rate` < 1 fails only some requests: the queue drains slowly instead of not at all.
      if (!fault || Math.random() >= state.rate) return undefined;
      injected.replied++;
      return new Response(JSON.stringify(fault.body), {
        status: fault.status,
        headers: { 'content-type': 'application/json;charset=utf-8', 'cache-control': 'no-store', ...fault.headers },
      });
    },
    /** Wraps a sink so that `sinkFull` makes its writes fail the way a full disk does. */
    wrapSink(sink) {
      return {
        ...sink,
        write(packs) {
          if (!state.sinkFull) return sink.write(packs);
          injected.sinkFailed++;
          const error = new Error('ENOSPC: no space left on device (playground fault)');
          error.code = 'ENOSPC';
          return Promise.reject(error);
        },
      };
    },
  };
}
