import { describe, expect, it } from 'vitest';
import { encodeFormValue, packToForm, parseForm, FormDecodeError, formEncodedLength } from '../../src/dataproxy/form.js';
import { parseReply } from '../../src/dataproxy/reply.js';
import { parseNodeList, DiscoveryError } from '../../src/dataproxy/manager.js';
import { base64Utf8 } from '../../src/dataproxy/base64.js';
import { createNodePool } from '../../src/dataproxy/node-pool.js';
import { buildMultiPackBody, encodeMultiPackBody, parseMultiPackReply } from '../../src/dataproxy/multi-pack.js';
import { parseMessageBody } from '../../src/bridge/message.js';
import { RequestError } from '../../src/bridge/reply.js';
import { classify } from '../../src/core/retry-policy.js';
import { createFakeClock } from '../helpers/fake-clock.js';

describe('form encoding', () => {
  it('escapes everything Netty treats as syntax and round-trips through the Netty-style parser', () => {
    const tricky = 'a&b;c#d+e%f g=h\n😀é\u0000';
    const form = packToForm({ groupId: 'g;1', streamId: 's#2', dt: 1700000000123.9, records: [tricky, 'two'] });
    expect(form).not.toMatch(/[;#+ ]/);
    const fields = parseForm(form);
    expect(fields.get('groupId')).toBe('g;1');
    expect(fields.get('streamId')).toBe('s#2');
    expect(fields.get('dt')).toBe('1700000000123');
    expect(fields.get('cnt')).toBe('2');
    expect(fields.get('body')).toBe(`${tricky}\ntwo`);
  });

  it('replaces lone surrogates instead of throwing', () => {
    expect(encodeFormValue('a\ud800b')).toBe('a%EF%BF%BDb');
    expect(formEncodedLength('é')).toBe(6);
  });

  it('parses like Netty: ; splits, + is a space, # ends, first value wins, bad escapes throw', () => {
    const fields = parseForm('a=1;b=x+y&a=2#c=3');
    expect([...fields]).toEqual([
      ['a', '1'],
      ['b', 'x y'],
    ]);
    expect(() => parseForm('body=%E0%A4%A')).toThrow(FormDecodeError);
  });
});

describe('reply parsing', () => {
  it.each([
    ['{"code":"0","msg":"Ok"}', 0, 'Ok'],
    ['{"code":0,"msg":"Ok"}', 0, 'Ok'],
    ['{"code":"115","msg":"Topic not configured for groupId(g),streamId(,s)"}', 115, 'Topic not configured for groupId(g),streamId(,s)'],
    ['{"code":"2147483647","msg":"Process message failure: say "hi""}', 2147483647, 'Process message failure: say "hi"'],
    ['cb({"code":"0","msg":"Ok"})', 0, 'Ok'],
    ['<html>bad gateway</html>', undefined, '<html>bad gateway</html>'],
    ['', undefined, ''],
  ])('%s', (body, code, message) => {
    expect(parseReply({ status: 200, body })).toMatchObject({ kind: 'reply', status: 200, code, message });
  });
});

describe('retry policy', () => {
  it.each([
    [{ kind: 'reply', status: 200, code: 0 }, 'ack'],
    ...[1, 2, 114, 2147483647].map((code) => [{ kind: 'reply', status: 200, code }, 'retry'] as const),
    ...[31, 32, 35, 36, 100, 101, 103, 111, 115].map((code) => [{ kind: 'reply', status: 200, code }, 'fail'] as const),
    [{ kind: 'reply', status: 200, code: 104 }, 'split'],
    [{ kind: 'reply', status: 413, code: undefined }, 'split'],
    [{ kind: 'reply', status: 500, code: undefined }, 'retry'],
    [{ kind: 'reply', status: 503, code: undefined }, 'retry'],
    [{ kind: 'reply', status: 429, code: undefined }, 'retry'],
    [{ kind: 'reply', status: 400, code: undefined }, 'fail'],
    [{ kind: 'reply', status: 403, code: undefined }, 'fail'],
    [{ kind: 'reply', status: 200, code: undefined }, 'retry'],
    [{ kind: 'network', timedOut: true }, 'retry'],
  ] as const)('%j → %s', (outcome, action) => {
    expect(classify(outcome).action).toBe(action);
  });
});

describe('Manager node list', () => {
  const envelope = (data: unknown, success = true) => JSON.stringify({ success, errMsg: success ? null : 'group not found', data });

  it('reads HTTP nodes and maxPacketLength', () => {
    const body = envelope({ clusterId: 1, load: 20, maxPacketLength: 131072, nodeList: [
      { id: 1, ip: '10.0.0.5', port: 46802, protocolType: 'HTTP', nodeLoad: 0 },
      { id: 2, ip: '10.0.0.6', port: 46801, protocolType: 'TCP', nodeLoad: 0 },
    ] });
    expect(parseNodeList(body)).toEqual({ urls: ['http://10.0.0.5:46802'], maxPacketLength: 131072 });
  });

  it.each([
    ['not json', /not JSON/],
    [envelope(null, false), /group not found/],
    [envelope({ clusterId: 1 }), /no nodeList/],
    [envelope({ clusterId: 1, nodeList: [{ ip: '1.2.3.4', port: 1, protocolType: 'TCP' }] }), /no HTTP node/],
  ])('rejects %s', (body, message) => {
    expect(() => parseNodeList(body)).toThrow(DiscoveryError);
    expect(() => parseNodeList(body)).toThrow(message);
  });

  it('encodes Basic credentials as UTF-8 base64', () => {
    for (const text of ['admin:s3cret', 'a', 'ab', 'abc', 'üser:kéy😀']) expect(base64Utf8(text)).toBe(Buffer.from(text).toString('base64'));
  });
});

describe('node pool', () => {
  it('rotates, skips a parked node until its time is up, and falls back when all are parked', async () => {
    const clock = createFakeClock();
    const pool = createNodePool({ clock, parkMs: 1000 });
    pool.setNodes(['http://a', 'http://b/', 'http://a']);
    expect([...pool.nodes()].sort()).toEqual(['http://a', 'http://b']);
    const seen = new Set([pool.pick(), pool.pick()]);
    expect(seen).toEqual(new Set(['http://a', 'http://b']));
    pool.park('http://a');
    expect([pool.pick(), pool.pick(), pool.pick()]).toEqual(['http://b', 'http://b', 'http://b']);
    pool.park('http://b');
    expect(pool.pick()).toBe('http://a');
    await clock.advance(1001);
    expect(new Set([pool.pick(), pool.pick()])).toEqual(new Set(['http://a', 'http://b']));
  });
});

describe('multi-pack wire format', () => {
  it('sends a pack with a newline in a record as a form line, the others raw, and maps per-pack results', () => {
    const body = buildMultiPackBody([
      { groupId: 'g', streamId: 's1', dt: 1, records: ['a\nb'] },
      { groupId: 'g', streamId: 's2', dt: 2, records: ['c', 'd'] },
    ], 'k&1');
    const lines = body.split('\n');
    expect(lines).toEqual(['groupId=g&streamId=s1&dt=1&cnt=1&body=a%0Ab&writeKey=k%261', '@groupId=g&streamId=s2&dt=2&cnt=2&writeKey=k%261', 'c', 'd']);
    expect(parseForm(lines[0] ?? '').get('body')).toBe('a\nb');
    expect(parseForm((lines[1] ?? '').slice(1)).get('writeKey')).toBe('k&1');
    const reply = JSON.stringify({ code: '115', msg: 'x', results: [{ code: '0', msg: 'Ok' }, { code: '115', msg: 'x' }] });
    expect(parseMultiPackReply(200, reply, 2).map((outcome) => classify(outcome).action)).toEqual(['ack', 'fail']);
    expect(parseMultiPackReply(503, '', 2).map((outcome) => classify(outcome).action)).toEqual(['retry', 'retry']);
    expect(parseMultiPackReply(200, '{"code":"0","msg":"Ok"}', 3).map((outcome) => classify(outcome).action)).toEqual(['ack', 'ack', 'ack']);
  });
});

describe('multi-pack bodies read by the bridge', () => {
  const now = 1_700_000_000_000;

  it('reads back what the SDK writes, records byte for byte', () => {
    const packs = [
      { groupId: 'g', streamId: 's1', dt: 1, records: ['{"a":"x&y=z%20;#+"}', 'é😀 中文', 'ends with cr\r', '  padded  '] },
      { groupId: 'g 2', streamId: 's&2', dt: 2, records: ['multi\nline'] },
      { groupId: 'g', streamId: 's3', dt: 3, records: ['only'] },
    ];
    const read = parseMessageBody(buildMultiPackBody(packs, 'key'), now);
    expect(read).toEqual(packs.map((pack) => ({ ...pack, writeKey: 'key' })));
  });

  it('encodes the same body straight to UTF-8 bytes, growing past a first guess that was short', () => {
    const packs = [
      { groupId: 'g', streamId: 's1', dt: 1, records: ['é😀 中文'.repeat(50), '{"a":1}'] },
      { groupId: 'g', streamId: 's2', dt: 2, records: ['multi\nline'] },
      { groupId: 'g', streamId: 's3', dt: 3, records: ['\ud800 lone', 'ascii'] },
    ];
    for (const writeKey of [undefined, 'k']) {
      const text = buildMultiPackBody(packs, writeKey);
      expect(Buffer.from(encodeMultiPackBody(packs, writeKey)).equals(Buffer.from(new TextEncoder().encode(text)))).toBe(true);
    }
  });

  it('still reads plain DataProxy forms, one or one per line', () => {
    expect(parseMessageBody('groupId=g&streamId=s&dt=5&cnt=2&body=a%0Ab', now)).toEqual([{ groupId: 'g', streamId: 's', dt: 5, records: ['a', 'b'] }]);
    expect(parseMessageBody('groupId=g&streamId=s&body=a\r\ngroupId=g&streamId=t&body=b', now).map((pack) => pack.records)).toEqual([['a'], ['b']]);
  });

  it('refuses a raw pack with a bad header or missing records, with DataProxy codes', () => {
    const refusal = (text: string) => {
      try {
        parseMessageBody(text, now);
      } catch (error) {
        return { status: (error as RequestError).status, code: (error as RequestError).code, message: (error as Error).message };
      }
      throw new Error('accepted');
    };
    expect(refusal('@groupId=g&streamId=s&cnt=3\na\nb')).toMatchObject({ status: 400, code: '2147483647', message: expect.stringContaining('cnt=3 but 2 lines follow') });
    expect(refusal('@groupId=g&streamId=s\na')).toMatchObject({ status: 400, code: '2147483647' });
    expect(refusal('@groupId=g&streamId=s&cnt=0\na')).toMatchObject({ status: 400, code: '2147483647' });
    expect(refusal('@streamId=s&cnt=1\na')).toMatchObject({ status: 400, code: '100' });
    expect(refusal('@groupId=g&cnt=1\na')).toMatchObject({ status: 400, code: '101' });
    expect(refusal('@groupId=g&streamId=s&cnt=2\n \n')).toMatchObject({ status: 400, code: '111' });
    expect(refusal('@groupId=%zz&streamId=s&cnt=1\na')).toMatchObject({ status: 400 });
  });
});

