import type { Clock } from '../../src/core/types.js';

export interface FakeClock extends Clock {
  /** Moves time forward, running due timers in order (awaiting microtasks between them). */
  advance(ms: number): Promise<void>;
  /** Timers not yet run. */
  pending(): number;
}

/**
 * A clock whose time only moves when told, with a seeded random and counting uuids, so core
 * tests are exact instead of slept.
 * @example const clock = createFakeClock(1_700_000_000_000); await clock.advance(3000);
 */
export function createFakeClock(start = 1_700_000_000_000, randomValue = 0.5): FakeClock {
  let now = start;
  let nextId = 1;
  let uuids = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const settle = async (): Promise<void> => {
    for (let round = 0; round < 20; round++) await Promise.resolve();
  };
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    random: () => randomValue,
    uuid: () => `00000000-0000-4000-8000-${String(++uuids).padStart(12, '0')}`,
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (;;) {
        let due: [number, { at: number; callback: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry;
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].callback();
        await settle();
      }
      now = target;
      await settle();
    },
    pending: () => timers.size,
  };
}
