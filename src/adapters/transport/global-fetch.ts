/**
 * The runtime's fetch, bound: browsers throw "Illegal invocation" when `this` is not the global.
 * Its own file so the lazy transport can probe for fetch without loading the request code.
 * @example const fetchImpl = globalFetch();
 */
export function globalFetch(): typeof fetch | undefined {
  const global = globalThis.fetch;
  return typeof global === 'function' ? global.bind(globalThis) : undefined;
}
