import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/core/delivery.js';
import { createLazyDelivery } from '../../src/sender/lazy-delivery.js';

function fakeDelivery(): Delivery & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    kick: () => void calls.push('kick'),
    idle: async () => void calls.push('idle'),
    stop: () => void calls.push('stop'),
    inFlight: () => 7,
  };
}

describe('createLazyDelivery', () => {
  it('loads once, on the first kick, and passes calls through afterwards', async () => {
    const inner = fakeDelivery();
    let loads = 0;
    const delivery = createLazyDelivery(async () => (loads++, inner), () => undefined);
    expect(loads).toBe(0);
    expect(delivery.inFlight()).toBe(0);
    delivery.kick();
    delivery.kick();
    await delivery.idle();
    expect(loads).toBe(1);
    expect(inner.calls).toEqual(['kick', 'kick', 'idle']);
    expect(delivery.inFlight()).toBe(7);
  });

  it('reports a failed load, rejects the flush waiting on it, and tries again on the next kick', async () => {
    const inner = fakeDelivery();
    const errors: unknown[] = [];
    let attempt = 0;
    const delivery = createLazyDelivery(async () => {
      attempt++;
      if (attempt === 1) throw new Error('chunk failed');
      return inner;
    }, (error) => errors.push(error));
    await expect(delivery.idle()).rejects.toThrow('chunk failed');
    delivery.kick();
    await delivery.idle();
    expect(attempt).toBe(2);
    expect(errors).toEqual([]);
    expect(inner.calls).toEqual(['kick', 'idle']);
  });

  it('a kick whose load fails goes to onError', async () => {
    const errors: unknown[] = [];
    const delivery = createLazyDelivery(() => Promise.reject(new Error('offline')), (error) => errors.push(error));
    delivery.kick();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toHaveLength(1);
  });

  it('stopped before it loaded: no load on kick or idle, and a load already under way stops what it brings', async () => {
    const inner = fakeDelivery();
    let release: (delivery: Delivery) => void = () => undefined;
    const delivery = createLazyDelivery(() => new Promise<Delivery>((resolve) => (release = resolve)), () => undefined);
    delivery.kick();
    delivery.stop();
    release(inner);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(inner.calls).toEqual(['stop', 'kick']);
    const idle = createLazyDelivery(() => Promise.reject(new Error('must not load')), () => undefined);
    idle.stop();
    idle.kick();
    await expect(idle.idle()).resolves.toBeUndefined();
  });
});
