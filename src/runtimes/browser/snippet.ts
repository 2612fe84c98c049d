/**
 * The loader snippet for pages that add `inlong.global.js` with `async`: put it inline, before any
 * call. It defines `window.InLong` as a queue (`InLong._q`) of the calls made before the script
 * arrives; the script replays them in order, then replaces the stub. Methods that return a value
 * (`getDistinctId`, ...) return `undefined` until then.
 * @example
 * // <script>…INLONG_SNIPPET…</script>
 * // <script async src="https://unpkg.com/inlong-js/dist/inlong.global.js"></script>
 * // <script>InLong.init({ serverUrl: 'https://collect.example.com', groupId: 'g', streamId: 's' }); InLong.track('view');</script>
 */
export const INLONG_SNIPPET =
  '!function(w,n){if(w[n])return;var s=w[n]={_q:[]};' +
  '"init initInstance track trackFirst trackUpdate trackOverwrite timeEvent identify setDistinctId login logout userSet userSetOnce userAdd userUnset userAppend userUniqAppend userDel setSuperProperties unsetSuperProperty clearSuperProperties setDynamicSuperProperties setPageProperty flush optOutTracking optInTracking enableTracking"' +
  '.split(" ").forEach(function(m){s[m]=function(){s._q.push([m,[].slice.call(arguments)])}})}(window,"InLong");';

/**
 * Replays a stub's queued calls on the real root, in order. One failing call (a bad `init`) is
 * reported on its own turn and does not stop the calls after it.
 * @example replayQueue(previous?._q, InLong);
 */
export function replayQueue(queue: unknown, target: object): void {
  if (!Array.isArray(queue)) return;
  for (const entry of queue as Array<[unknown, unknown]>) {
    const [method, args] = Array.isArray(entry) ? entry : [];
    const fn = (target as Record<string, unknown>)[String(method)];
    if (typeof fn !== 'function') continue;
    try {
      fn(...(Array.isArray(args) ? args : []));
    } catch (error) {
      setTimeout(() => {
        throw error;
      });
    }
  }
}
