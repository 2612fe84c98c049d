import type { Clock } from '../../core/types.js';

interface Unrefable {
  unref?: () => void;
}

/**
 * The runtime's own time, timers and randomness, found by feature detection.
 * @example const clock = createSystemClock();
 */
export function createSystemClock(): Clock {
  const crypto = globalThis.crypto;
  return {
    now: () => Date.now(),
    setTimeout(callback, ms, options) {
      const handle = globalThis.setTimeout(callback, ms) as unknown;
      // Node and Deno timers can be unref'd so a refresh loop does not hold a process open.
      if (options?.background) (handle as Unrefable)?.unref?.();
      return handle;
    },
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
    random: () => Math.random(),
    uuid: typeof crypto?.randomUUID === 'function' ? () => crypto.randomUUID() : () => uuidFromRandom(crypto),
  };
}

/**
 * v4 UUID for runtimes without `randomUUID` (older Safari, pages served over plain http): every
 * `0`/`1` of the template becomes a random hex digit, the `8` one of `8`–`b` (the variant bits).
 */
function uuidFromRandom(crypto: Crypto | undefined): string {
  const byte = typeof crypto?.getRandomValues === 'function' ? () => crypto.getRandomValues(new Uint8Array(1))[0] ?? 0 : () => Math.random() * 256;
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) => (Number(digit) ^ (byte() & (15 >> (Number(digit) / 4)))).toString(16));
}
