import { describe, expect, it } from 'vitest';
import { createPipeline, type PipelineOptions } from '../../src/core/pipeline.js';
import type { Endpoint } from '../../src/core/delivery.js';
import type { Outcome } from '../../src/core/retry-policy.js';
import type { Pack } from '../../src/core/types.js';
import { SdkCode } from '../../src/core/codes.js';
import { createFakeClock } from '../helpers/fake-clock.js';

/** An endpoint that answers from a script of outcomes and records every call. */
function scriptedEndpoint(script: Array<(pack: Pack) => Outcome> = [], maxPacksPerCall = 1) {
  const calls: Pack[][] = [];
  const ok: Outcome = { kind: 'reply', status: 200, code: 0 };
  const endpoint: Endpoint = {
    name: 'scripted',
    maxPacksPerCall,
    async deliver(packs) {
      calls.push(packs.map((pack) => ({ ...pack, records: [...pack.records] })));
      return packs.map((pack) => (script.shift() ?? (() => ok))(pack));
    },
  };
  return { endpoint, calls, delivered: () => calls.flat() };
}

function pipeline(endpoint: Endpoint, overrides: Partial<PipelineOptions> = {}) {
  const clock = createFakeClock();
  const failures: Array<{ records: string[]; reason: string; permanent: boolean }> = [];
  const options: PipelineOptions = {
    clock,
    endpoint,
    packCount: 3,
    packBytes: 1000,
    packTimeoutMs: 3000,
    maxBufferBytes: 10_000,
    maxRecordBytes: 500,
    retries: 3,
    backoff: { baseMs: 100, maxMs: 1000 },
    concurrency: 1,
    onFailure: (pack, error) => failures.push({ records: pack.records, reason: error.reason, permanent: error.permanent }),
    ...overrides,
  };
  return { clock, failures, pipe: createPipeline(options) };
}

describe('batching', () => {
  it('closes a pack by count, per (groupId, streamId)', async () => {
    const target = scriptedEndpoint();
    const { clock, pipe } = pipeline(target.endpoint);
    for (const record of ['a', 'b', 'c', 'd']) pipe.enqueue('g', 's', record);
    pipe.enqueue('g', 'other', 'x');
    await clock.advance(0);
    expect(target.delivered().map((pack) => pack.records)).toEqual([['a', 'b', 'c']]);
    await clock.advance(3000);
    expect(target.delivered().map((pack) => [pack.streamId, pack.records])).toEqual([
      ['s', ['a', 'b', 'c']],
      ['s', ['d']],
      ['other', ['x']],
    ]);
  });

  it('closes a pack by age, not before', async () => {
    const target = scriptedEndpoint();
    const { clock, pipe } = pipeline(target.endpoint);
    pipe.enqueue('g', 's', 'a');
    await clock.advance(2999);
    expect(target.calls).toHaveLength(0);
    await clock.advance(1);
    expect(target.delivered().map((pack) => pack.records)).toEqual([['a']]);
  });

  it('closes a pack by wire bytes as encoded', async () => {
    const target = scriptedEndpoint();
    // An encoding that doubles each record, as percent-encoding grows one.
    const { clock, pipe } = pipeline(target.endpoint, { packCount: 100, packBytes: 20, encode: (record) => record + record });
    for (const record of ['aaaa', 'bbbb', 'cccc']) pipe.enqueue('g', 's', record);
    await clock.advance(3000);
    // 8 + 3 + 8 = 19 fits, a third record would not.
    expect(target.delivered().map((pack) => pack.records)).toEqual([['aaaa', 'bbbb'], ['cccc']]);
  });
});

describe('result codes', () => {
  it('answers 6, 7, 8 and 22 and loses nothing accepted', async () => {
    const target = scriptedEndpoint();
    const { clock, pipe } = pipeline(target.endpoint, { maxBufferBytes: 10, packCount: 100 });
    expect(pipe.enqueue('g', 's', 'x'.repeat(501))).toBe(SdkCode.kMsgTooLong);
    expect(pipe.enqueue('', 's', 'x')).toBe(SdkCode.kInvalidInput);
    expect(pipe.enqueue('g', 's', '')).toBe(SdkCode.kInvalidInput);
    expect(pipe.enqueue('g', 's', '12345')).toBe(SdkCode.kSuccess);
    expect(pipe.enqueue('g', 's', '1234')).toBe(SdkCode.kSuccess);
    expect(pipe.enqueue('g', 's', '12')).toBe(SdkCode.kRecvBufferFull);
    await clock.advance(3000);
    expect(target.delivered().flatMap((pack) => pack.records)).toEqual(['12345', '1234']);
    expect(pipe.enqueue('g', 's', '12')).toBe(SdkCode.kSuccess);
    const closing = pipe.close(10_000);
    await clock.advance(3000);
    await closing;
    expect(pipe.enqueue('g', 's', 'late')).toBe(SdkCode.kSendBeforeInit);
  });
});

describe('retry policy in the loop', () => {
  it('backs off exponentially with jitter and succeeds', async () => {
    const retry: Outcome = { kind: 'reply', status: 200, code: 114 };
    const target = scriptedEndpoint([() => retry, () => retry]);
    const { clock, pipe, failures } = pipeline(target.endpoint);
    pipe.enqueue('g', 's', 'a');
    await clock.advance(3000);
    expect(target.calls).toHaveLength(1);
    // random() = 0.5 → delay = base·2ⁿ⁻¹ · 0.75: 75 ms, then 150 ms.
    await clock.advance(74);
    expect(target.calls).toHaveLength(1);
    await clock.advance(1);
    expect(target.calls).toHaveLength(2);
    await clock.advance(149);
    expect(target.calls).toHaveLength(2);
    await clock.advance(1);
    expect(target.calls).toHaveLength(3);
    expect(failures).toEqual([]);
    expect(pipe.stats()).toMatchObject({ accepted: 1, acked: 1, retried: 2, failed: 0, queued: 0 });
  });

  it('honours Retry-After when it asks for longer', async () => {
    const target = scriptedEndpoint([() => ({ kind: 'reply', status: 503, code: undefined, retryAfterMs: 5000 })]);
    const { clock, pipe } = pipeline(target.endpoint);
    pipe.enqueue('g', 's', 'a');
    await clock.advance(3000);
    await clock.advance(4999);
    expect(target.calls).toHaveLength(1);
    await clock.advance(1);
    expect(target.calls).toHaveLength(2);
  });

  it('never retries a caller error and reports it once', async () => {
    const target = scriptedEndpoint([() => ({ kind: 'reply', status: 200, code: 115, message: 'Topic not configured' })]);
    const { clock, pipe, failures } = pipeline(target.endpoint);
    pipe.enqueue('g', 's', 'a');
    await clock.advance(60_000);
    expect(target.calls).toHaveLength(1);
    expect(failures).toEqual([{ records: ['a'], reason: '115', permanent: true }]);
  });

  it('gives up after the configured retries', async () => {
    const network: Outcome = { kind: 'network', timedOut: false };
    const target = scriptedEndpoint(Array.from({ length: 10 }, () => () => network));
    const { clock, pipe, failures } = pipeline(target.endpoint, { retries: 2 });
    pipe.enqueue('g', 's', 'a');
    await clock.advance(60_000);
    expect(target.calls).toHaveLength(3);
    expect(failures).toEqual([{ records: ['a'], reason: 'network', permanent: false }]);
  });

  it('splits a pack on 413 until the halves fit, keeping every record once', async () => {
    const tooLarge = (pack: Pack): Outcome =>
      pack.records.length > 1 ? { kind: 'reply', status: 413, code: undefined } : { kind: 'reply', status: 200, code: 0 };
    const target = scriptedEndpoint(Array.from({ length: 20 }, () => tooLarge));
    const { clock, pipe, failures } = pipeline(target.endpoint, { packCount: 5 });
    for (const record of ['a', 'b', 'c', 'd', 'e']) pipe.enqueue('g', 's', record);
    await clock.advance(1000);
    const acked = target.delivered().filter((pack) => pack.records.length === 1).flatMap((pack) => pack.records);
    expect(acked.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(failures).toEqual([]);
  });

  it('fails a single record that is still too large', async () => {
    const target = scriptedEndpoint([() => ({ kind: 'reply', status: 413, code: undefined })]);
    const { clock, pipe, failures } = pipeline(target.endpoint);
    pipe.enqueue('g', 's', 'a');
    await clock.advance(3000);
    expect(failures).toEqual([{ records: ['a'], reason: 'http:413', permanent: true }]);
  });
});

describe('close', () => {
  it('reports what is undelivered at the deadline once, then stops', async () => {
    const network: Outcome = { kind: 'network', timedOut: false };
    const target = scriptedEndpoint(Array.from({ length: 100 }, () => () => network));
    const { clock, pipe, failures } = pipeline(target.endpoint, { retries: Infinity });
    for (const record of ['a', 'b', 'c', 'd']) pipe.enqueue('g', 's', record);
    const closing = pipe.close(500);
    await clock.advance(500);
    await closing;
    expect(failures.flatMap((failure) => failure.records).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(failures.every((failure) => failure.reason === 'closed')).toBe(true);
    const calls = target.calls.length;
    await clock.advance(60_000);
    expect(target.calls.length).toBe(calls);
    expect(failures).toHaveLength(2);
  });
});
