import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIB_VERSION, TDAnalytics, type Clock, type Consumer, type TdRecord } from '../../src/index.js';

/** 2026-01-02 03:04:05.006 local time: `#time` is local, as ThinkingData's. */
const NOW = new Date(2026, 0, 2, 3, 4, 5, 6).getTime();
const TIME = '2026-01-02 03:04:05.006';
const uuidOf = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function fixedClock(): Clock {
  let count = 0;
  return {
    now: () => NOW,
    setTimeout: () => undefined,
    clearTimeout: () => undefined,
    random: () => 0.5,
    uuid: () => uuidOf(++count),
  };
}

/** A consumer that keeps each record as the exact JSON text a real consumer would send. */
function recording(): Consumer & { lines: string[] } {
  const lines: string[] = [];
  return { lines, add: (record: TdRecord) => void lines.push(JSON.stringify(record)), flush: async () => undefined, close: async () => undefined };
}

function setup(options: { enableUuid?: boolean } = {}) {
  const consumer = recording();
  const errors: Error[] = [];
  const td = new TDAnalytics(consumer, { ...options, onError: (error) => errors.push(error) }, { clock: fixedClock() });
  return { td, lines: consumer.lines, errors };
}

const LIB = '"#lib":"inlong-js","#lib_version":"0.1.0"';

describe('TDAnalytics records: the exact JSON of each of the ten types', () => {
  it('track: every top-level key in spec order; #lib → super → dynamic super → event properties; dates and nulls', () => {
    const { td, lines, errors } = setup();
    td.setSuperProperties({ channel: 'web', plan: 'free' });
    td.setSuperProperties({ region: 'eu' });
    td.setDynamicSuperProperties(() => ({ plan: 'pro', level: 2 }));
    td.track({
      distinctId: 'd1',
      accountId: 'a1',
      event: 'buy',
      ip: '1.2.3.4',
      appId: 'app1',
      properties: {
        price: 3.5,
        plan: 'team',
        when: new Date(2026, 0, 2, 3, 4, 5, 7),
        nested: { at: new Date(2026, 0, 2, 3, 4, 5, 8), list: [new Date(2026, 0, 2, 3, 4, 5, 9), null, 'x'], deep: [{ on: new Date(2026, 0, 2, 3, 4, 5, 10) }] },
        gone: null,
        missing: undefined,
      },
    });
    expect(lines).toEqual([
      `{"#type":"track","#time":"${TIME}","#distinct_id":"d1","#account_id":"a1","#event_name":"buy","#uuid":"${uuidOf(1)}","#ip":"1.2.3.4","#app_id":"app1",` +
        `"properties":{${LIB},"channel":"web","plan":"team","region":"eu","level":2,"price":3.5,"when":"2026-01-02 03:04:05.007",` +
        `"nested":{"at":"2026-01-02 03:04:05.008","list":["2026-01-02 03:04:05.009","x"],"deep":[{"on":"2026-01-02 03:04:05.010"}]}}}`,
    ]);
    expect(errors).toEqual([]);
  });

  it('track: preset keys in properties (#time, #ip, #app_id, #uuid) move to the top level', () => {
    const { td, lines } = setup();
    td.track({
      accountId: 'a1',
      event: 'open',
      properties: { '#time': new Date(2026, 0, 1, 0, 0, 0, 0), '#ip': '5.6.7.8', '#app_id': 'p2', '#uuid': 'given-uuid', page: 'home' },
    });
    expect(lines).toEqual([
      `{"#type":"track","#time":"2026-01-01 00:00:00.000","#account_id":"a1","#event_name":"open","#uuid":"given-uuid","#ip":"5.6.7.8","#app_id":"p2","properties":{${LIB},"page":"home"}}`,
    ]);
  });

  it('track (first): #first_check_id from firstCheckId, else distinctId, else accountId, or moved up from properties', () => {
    const { td, lines } = setup();
    td.trackFirst({ distinctId: 'd1', event: 'first_open', firstCheckId: 'device-9' });
    td.trackFirst({ distinctId: 'd1', accountId: 'a1', event: 'first_open' });
    td.trackFirst({ accountId: 'a1', event: 'first_open' });
    td.trackFirst({ distinctId: 'd1', event: 'first_open', properties: { '#first_check_id': 'from-props' } });
    expect(lines).toEqual([
      `{"#type":"track","#time":"${TIME}","#distinct_id":"d1","#event_name":"first_open","#first_check_id":"device-9","#uuid":"${uuidOf(1)}","properties":{${LIB}}}`,
      `{"#type":"track","#time":"${TIME}","#distinct_id":"d1","#account_id":"a1","#event_name":"first_open","#first_check_id":"d1","#uuid":"${uuidOf(2)}","properties":{${LIB}}}`,
      `{"#type":"track","#time":"${TIME}","#account_id":"a1","#event_name":"first_open","#first_check_id":"a1","#uuid":"${uuidOf(3)}","properties":{${LIB}}}`,
      `{"#type":"track","#time":"${TIME}","#distinct_id":"d1","#event_name":"first_open","#first_check_id":"from-props","#uuid":"${uuidOf(4)}","properties":{${LIB}}}`,
    ]);
  });

  it('track_update and track_overwrite: #event_id after #event_name, with #lib and super properties', () => {
    const { td, lines } = setup();
    td.setSuperProperties({ channel: 'web' });
    td.trackUpdate({ accountId: 'a1', event: 'order', eventId: 'o-1', properties: { status: 'paid' } });
    td.trackOverwrite({ accountId: 'a1', event: 'order', eventId: 'o-1', properties: { status: 'refunded' } });
    td.trackOverWrite({ accountId: 'a1', event: 'order', eventId: 'o-2' });
    expect(lines).toEqual([
      `{"#type":"track_update","#time":"${TIME}","#account_id":"a1","#event_name":"order","#event_id":"o-1","#uuid":"${uuidOf(1)}","properties":{${LIB},"channel":"web","status":"paid"}}`,
      `{"#type":"track_overwrite","#time":"${TIME}","#account_id":"a1","#event_name":"order","#event_id":"o-1","#uuid":"${uuidOf(2)}","properties":{${LIB},"channel":"web","status":"refunded"}}`,
      `{"#type":"track_overwrite","#time":"${TIME}","#account_id":"a1","#event_name":"order","#event_id":"o-2","#uuid":"${uuidOf(3)}","properties":{${LIB},"channel":"web"}}`,
    ]);
  });

  it('user operations carry neither #lib nor super properties; user_setOnce keeps its camel case', () => {
    const { td, lines } = setup();
    td.setSuperProperties({ channel: 'web' });
    td.setDynamicSuperProperties(() => ({ level: 2 }));
    td.userSet({ distinctId: 'd1', properties: { name: 'Ann', born: new Date(2000, 1, 3, 4, 5, 6, 7), note: null } });
    td.userSetOnce({ distinctId: 'd1', properties: { first_seen: 'home' } });
    td.userAdd({ accountId: 'a1', properties: { coins: 5, debt: -2.5 } });
    td.userAppend({ accountId: 'a1', properties: { tags: ['x', 'y'] } });
    td.userUniqAppend({ accountId: 'a1', properties: { tags: ['y', 'z'] } });
    expect(lines).toEqual([
      `{"#type":"user_set","#time":"${TIME}","#distinct_id":"d1","#uuid":"${uuidOf(1)}","properties":{"name":"Ann","born":"2000-02-03 04:05:06.007"}}`,
      `{"#type":"user_setOnce","#time":"${TIME}","#distinct_id":"d1","#uuid":"${uuidOf(2)}","properties":{"first_seen":"home"}}`,
      `{"#type":"user_add","#time":"${TIME}","#account_id":"a1","#uuid":"${uuidOf(3)}","properties":{"coins":5,"debt":-2.5}}`,
      `{"#type":"user_append","#time":"${TIME}","#account_id":"a1","#uuid":"${uuidOf(4)}","properties":{"tags":["x","y"]}}`,
      `{"#type":"user_uniq_append","#time":"${TIME}","#account_id":"a1","#uuid":"${uuidOf(5)}","properties":{"tags":["y","z"]}}`,
    ]);
  });

  it('user_unset sends names as {name: 0}; user_del has empty properties; #ip/#app_id moved up for user ops too', () => {
    const { td, lines } = setup();
    td.userUnset({ distinctId: 'd1', property: ['age', 'city'] });
    td.userUnset({ distinctId: 'd1', property: 'email' });
    td.userDel({ distinctId: 'd1', accountId: 'a1', ip: '9.9.9.9', appId: 'app1' });
    td.userSet({ distinctId: 'd1', properties: { '#ip': '8.8.8.8', '#app_id': 'p3', name: 'Bo' } });
    expect(lines).toEqual([
      `{"#type":"user_unset","#time":"${TIME}","#distinct_id":"d1","#uuid":"${uuidOf(1)}","properties":{"age":0,"city":0}}`,
      `{"#type":"user_unset","#time":"${TIME}","#distinct_id":"d1","#uuid":"${uuidOf(2)}","properties":{"email":0}}`,
      `{"#type":"user_del","#time":"${TIME}","#distinct_id":"d1","#account_id":"a1","#uuid":"${uuidOf(3)}","#ip":"9.9.9.9","#app_id":"app1","properties":{}}`,
      `{"#type":"user_set","#time":"${TIME}","#distinct_id":"d1","#uuid":"${uuidOf(4)}","#ip":"8.8.8.8","#app_id":"p3","properties":{"name":"Bo"}}`,
    ]);
  });

  it('clearSuperProperties empties them; enableUuid: false leaves #uuid out unless given; time overrides the clock', () => {
    const { td, lines } = setup({ enableUuid: false });
    td.setSuperProperties({ channel: 'web' });
    td.clearSuperProperties();
    td.track({ distinctId: 'd1', event: 'a', time: new Date(2025, 11, 31, 23, 59, 59, 999) });
    td.track({ distinctId: 'd1', event: 'b', uuid: 'mine' });
    expect(td.getSuperProperties()).toEqual({});
    expect(lines).toEqual([
      `{"#type":"track","#time":"2025-12-31 23:59:59.999","#distinct_id":"d1","#event_name":"a","properties":{${LIB}}}`,
      `{"#type":"track","#time":"${TIME}","#distinct_id":"d1","#event_name":"b","#uuid":"mine","properties":{${LIB}}}`,
    ]);
  });

  it('the dynamic super properties callback runs per track record, never for user operations', () => {
    const { td, lines } = setup();
    let calls = 0;
    td.setDynamicSuperProperties(() => ({ n: ++calls }));
    td.track({ distinctId: 'd1', event: 'a' });
    td.userSet({ distinctId: 'd1', properties: { x: 1 } });
    td.track({ distinctId: 'd1', event: 'b' });
    expect(calls).toBe(2);
    expect(lines[2]).toBe(`{"#type":"track","#time":"${TIME}","#distinct_id":"d1","#event_name":"b","#uuid":"${uuidOf(3)}","properties":{${LIB},"n":2}}`);
  });

  it('LIB_VERSION (#lib_version) is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(LIB_VERSION).toBe(pkg.version);
  });
});
