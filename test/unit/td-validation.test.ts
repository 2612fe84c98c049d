import { describe, expect, it } from 'vitest';
import { TDAnalytics, ValidationError, isValidationError, type Clock, type Consumer, type TdRecord } from '../../src/index.js';

function clock(): Clock {
  let count = 0;
  return { now: () => 1_767_000_000_000, setTimeout: () => undefined, clearTimeout: () => undefined, random: () => 0.5, uuid: () => `uuid-${++count}` };
}

function recording(strict?: boolean): Consumer & { records: TdRecord[] } {
  const records: TdRecord[] = [];
  return { records, strict, add: (record) => void records.push(record), flush: async () => undefined, close: async () => undefined };
}

/** One bad call per rule, and the key its `ValidationError` must name. */
const CASES: Array<{ name: string; key: string; call: (td: TDAnalytics) => void }> = [
  { name: 'event name starting with a digit', key: 'event', call: (td) => td.track({ distinctId: 'd', event: '1buy' }) },
  { name: 'empty event name', key: 'event', call: (td) => td.track({ distinctId: 'd', event: '' }) },
  { name: 'property name longer than 50', key: 'a'.repeat(51), call: (td) => td.track({ distinctId: 'd', event: 'e', properties: { ['a'.repeat(51)]: 1 } }) },
  { name: 'property name starting with a digit', key: '9lives', call: (td) => td.userSet({ distinctId: 'd', properties: { '9lives': 1 } }) },
  { name: 'property name with a dash', key: 'bad-name', call: (td) => td.track({ distinctId: 'd', event: 'e', properties: { 'bad-name': 1 } }) },
  { name: 'function value', key: 'callback', call: (td) => td.track({ distinctId: 'd', event: 'e', properties: { callback: () => 1 } }) },
  { name: 'nested function value', key: 'obj.fn', call: (td) => td.userSet({ distinctId: 'd', properties: { obj: { fn: () => 1 } } }) },
  { name: 'missing both ids', key: 'distinctId', call: (td) => td.track({ event: 'e' }) },
  { name: 'user_add with a non-number', key: 'coins', call: (td) => td.userAdd({ distinctId: 'd', properties: { coins: '5' } }) },
  { name: '#time that is not a Date', key: '#time', call: (td) => td.track({ distinctId: 'd', event: 'e', time: 'yesterday' as unknown as Date }) },
  { name: '#time property that is not a Date', key: '#time', call: (td) => td.track({ distinctId: 'd', event: 'e', properties: { '#time': 'yesterday' } }) },
  { name: 'trackUpdate without eventId', key: 'eventId', call: (td) => td.trackUpdate({ distinctId: 'd', event: 'e' } as never) },
  { name: 'trackOverwrite without eventId', key: 'eventId', call: (td) => td.trackOverwrite({ distinctId: 'd', event: 'e', eventId: '' }) },
  { name: 'userUnset with a bad name', key: '2x', call: (td) => td.userUnset({ distinctId: 'd', property: ['ok', '2x'] }) },
];

describe('TDAnalytics validation, strict mode', () => {
  it.each(CASES)('throws ValidationError naming the key: $name', ({ key, call }) => {
    const consumer = recording();
    const td = new TDAnalytics(consumer, { strict: true }, { clock: clock() });
    let thrown: unknown;
    try {
      call(td);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(isValidationError(thrown)).toBe(true);
    expect((thrown as ValidationError).key).toBe(key);
    expect((thrown as ValidationError).code).toBe('VALIDATION');
    expect(consumer.records).toHaveLength(0);
  });

  it('a consumer with strict: true (DebugConsumer) forces strict mode', () => {
    const td = new TDAnalytics(recording(true), { strict: false }, { clock: clock() });
    expect(td.strict).toBe(true);
    expect(() => td.track({ distinctId: 'd', event: '1buy' })).toThrow(ValidationError);
  });

  it('accepts the boundaries: 50-character names, # presets, nested free-form keys, case-insensitive names', () => {
    const consumer = recording();
    const td = new TDAnalytics(consumer, { strict: true }, { clock: clock() });
    td.track({ distinctId: 'd', event: 'E'.repeat(50), properties: { ['p'.repeat(50)]: [1, 'a', true, { 'free-form key': new Date() }], '#os': 'x', Mixed_Case9: 1 } });
    td.userAdd({ accountId: 'a', properties: { n: -1.5 } });
    expect(consumer.records).toHaveLength(2);
  });

  it('checks super properties when they are set', () => {
    const td = new TDAnalytics(recording(), { strict: true }, { clock: clock() });
    expect(() => td.setSuperProperties({ '0bad': 1 })).toThrow(expect.objectContaining({ key: '0bad' }));
    expect(() => td.setDynamicSuperProperties('nope' as never)).toThrow(expect.objectContaining({ key: 'dynamicSuperProperties' }));
    expect(td.getSuperProperties()).toEqual({});
  });
});

describe('TDAnalytics validation, lenient mode (default)', () => {
  it.each(CASES)('never throws, still sends the record, reports the key to onError: $name', ({ key, call }) => {
    const consumer = recording();
    const errors: Error[] = [];
    const td = new TDAnalytics(consumer, { onError: (error) => errors.push(error) }, { clock: clock() });
    expect(() => call(td)).not.toThrow();
    expect(consumer.records).toHaveLength(1);
    expect(errors.some((error) => isValidationError(error) && error.key === key)).toBe(true);
  });

  it('drops only the unsupported value and keeps the rest of the record', () => {
    const consumer = recording();
    const errors: Error[] = [];
    const td = new TDAnalytics(consumer, { onError: (error) => errors.push(error) }, { clock: clock() });
    td.track({ distinctId: 'd', event: 'e', properties: { keep: 1, callback: () => 1, big: 10n, inf: Infinity } });
    expect(consumer.records[0]?.properties).toEqual({ '#lib': 'inlong-js', '#lib_version': '0.1.0', keep: 1 });
    expect(errors.map((error) => (error as ValidationError).key)).toEqual(['callback', 'big', 'inf']);
  });

  it('survives a throwing dynamic super properties callback, a cyclic value and a throwing onError', async () => {
    const consumer = recording();
    const td = new TDAnalytics(consumer, { onError: () => { throw new Error('handler broke'); } }, { clock: clock() });
    td.setDynamicSuperProperties(() => {
      throw new Error('boom');
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const uncaught: unknown[] = [];
    const original = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (task) => original(() => {
      try {
        task();
      } catch (error) {
        uncaught.push(error);
      }
    });
    try {
      expect(() => td.track({ distinctId: 'd', event: 'e' })).not.toThrow();
      expect(() => td.track({ distinctId: 'd', event: 'e', properties: { cyclic } })).not.toThrow();
      await Promise.resolve();
    } finally {
      globalThis.queueMicrotask = original;
    }
    // The first call still sent its record; the cyclic one could not be built and was reported.
    expect(consumer.records).toHaveLength(1);
    // The handler's own error is rethrown as an uncaught error, never at the caller.
    expect(uncaught).toContainEqual(new Error('handler broke'));
  });

  it('reports a bad setSuperProperties argument instead of throwing', () => {
    const errors: Error[] = [];
    const td = new TDAnalytics(recording(), { onError: (error) => errors.push(error) }, { clock: clock() });
    expect(() => td.setSuperProperties(null as never)).not.toThrow();
    expect(errors[0]).toMatchObject({ key: 'superProperties' });
  });
});
