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

/** v4 UUID for runtimes without `randomUUID` (older Safari, non-secure origins). */
function uuidFromRandom(crypto: Crypto | undefined): string {
  const bytes = new Uint8Array(16);
  if (typeof crypto?.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let index = 0; index < 16; index++) bytes[index] = Math.floor(Math.random() * 256);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
