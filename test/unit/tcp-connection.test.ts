/**
 * The TCP connection, pool and endpoint on a scripted in-memory peer and a fake clock: pipelining
 * within the window, acks matched by uniq, timeouts, heartbeats, idle close, garbage, reconnect
 * backoff — exact, nothing slept.
 */
import { describe, expect, it } from 'vitest';
import type { ByteSocket, SocketConnector, SocketHandlers } from '../../src/core/types.js';
import { NetworkError } from '../../src/core/errors/network-error.js';
import { createTcpConnection, type FrameResult } from '../../src/dataproxy/tcp/connection.js';
import { encodeFrame } from '../../src/dataproxy/tcp/frame.js';
import { isTcpProtocolError } from '../../src/dataproxy/tcp/protocol-error.js';
import { createTcpEndpoint } from '../../src/dataproxy/tcp/tcp-endpoint.js';
import { createNodePool } from '../../src/dataproxy/node-pool.js';
import { createFakeClock } from '../helpers/fake-clock.js';

/** A DataProxy peer the test drives by hand: it records frames and answers when told. */
function scriptedPeer(options: { refuse?: number } = {}) {
  const frames: Array<{ type: number; uniq: number }> = [];
  const closes: Array<Error | undefined> = [];
  let handlers: SocketHandlers | undefined;
  let open = false;
  let refusals = options.refuse ?? 0;
  const active: boolean[] = [];
  let connects = 0;
  const connector: SocketConnector = {
    name: 'scripted',
    async connect(_address, next) {
      connects++;
      if (refusals > 0) {
        refusals--;
        throw new NetworkError('connect refused (scripted)');
      }
      handlers = next;
      open = true;
      const socket: ByteSocket = {
        write(bytes) {
          const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          frames.push({ type: bytes[4] ?? 0, uniq: bytes[4] === 7 ? view.getUint32(17) : -1 });
        },
        close() {
          open = false;
        },
        setActive: (value) => void active.push(value),
      };
      return socket;
    },
  };
  const ackBytes = (uniq: number, attr: string): Uint8Array => {
    const text = new TextEncoder().encode(attr);
    const bytes = new Uint8Array(13 + text.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 9 + text.length);
    bytes[4] = 7;
    view.setUint32(5, uniq);
    view.setUint16(9, text.length);
    bytes.set(text, 11);
    view.setUint16(11 + text.length, 0xee01);
    return bytes;
  };
  return {
    connector,
    frames,
    closes,
    active,
    connects: () => connects,
    isOpen: () => open,
    ack: (uniq: number, attr = 'dpIp=127.0.0.1&rtms=1&groupId=g&streamId=s') => handlers?.onData(ackBytes(uniq, attr)),
    heartbeatReply: () => handlers?.onData(Uint8Array.from([0, 0, 0, 16, 8, 0x65, 0x53, 0xf1, 0, 1, 0, 0, 0, 2, 0xff, 0xff, 0, 0, 0xee, 1])),
    raw: (bytes: Uint8Array) => handlers?.onData(bytes),
    reset: () => {
      open = false;
      handlers?.onClose(new NetworkError('read ECONNRESET'));
    },
  };
}

const frameFor = (uniq: number) => encodeFrame({ groupId: 'g', streamId: 's', dt: 0, uniq, records: ['r'] });

function connection(peer: ReturnType<typeof scriptedPeer>, overrides: Partial<Parameters<typeof createTcpConnection>[0]> = {}) {
  const clock = createFakeClock();
  const closes: Array<Error | undefined> = [];
  const made = createTcpConnection({
    clock,
    connector: peer.connector,
    host: '127.0.0.1',
    port: 46801,
    connectTimeoutMs: 1000,
    window: 2,
    heartbeatMs: 60_000,
    idleMs: 600_000,
    onClose: (error) => closes.push(error),
    ...overrides,
  });
  return { clock, closes, made };
}

describe('TCP connection', () => {
  it('pipelines up to the window, queues the rest in order, matches acks by uniq in any order', async () => {
    const peer = scriptedPeer();
    const { clock, made } = connection(peer);
    await made.open();
    const results: Record<number, FrameResult> = {};
    for (const uniq of [11, 12, 13, 14]) void made.send(uniq, frameFor(uniq), 5000).then((result) => (results[uniq] = result));
    await clock.advance(0);
    expect(peer.frames.map((frame) => frame.uniq)).toEqual([11, 12]);
    expect(made.load()).toBe(4);
    peer.ack(12, 'dpIp=1.2.3.4&errCode=114&errMsg=Put msg event to channel failure: full');
    await clock.advance(0);
    expect(peer.frames.map((frame) => frame.uniq)).toEqual([11, 12, 13]);
    peer.ack(13);
    peer.ack(11);
    await clock.advance(0);
    peer.ack(14);
    await clock.advance(0);
    expect(results).toEqual({
      11: { kind: 'ack', code: 0, message: '' },
      12: { kind: 'ack', code: 114, message: 'Put msg event to channel failure: full' },
      13: { kind: 'ack', code: 0, message: '' },
      14: { kind: 'ack', code: 0, message: '' },
    });
    // Busy while frames wait, idle (unref'd) after: a pooled socket never holds a process open.
    expect(peer.active).toEqual([false, true, false]);
  });

  it('gives a frame up after its timeout and drops a connection that stayed silent since', async () => {
    const peer = scriptedPeer();
    const { clock, closes, made } = connection(peer, { window: 4 });
    await made.open();
    const first = made.send(1, frameFor(1), 3000);
    await clock.advance(1000);
    const second = made.send(2, frameFor(2), 3000);
    await clock.advance(2000);
    expect(await first).toEqual({ kind: 'lost', timedOut: true, written: true, message: 'tcp://127.0.0.1:46801: no ack within 3000 ms (frame written)' });
    expect(made.closed).toBe(true);
    expect(await second).toMatchObject({ kind: 'lost', timedOut: false, written: true });
    expect(closes[0]?.message).toMatch(/silent for 3000 ms/);
    expect(peer.isOpen()).toBe(false);
  });

  it('keeps a connection that answers other frames while one ack never comes', async () => {
    const peer = scriptedPeer();
    const { clock, made } = connection(peer, { window: 4 });
    await made.open();
    const lostOne = made.send(1, frameFor(1), 3000);
    const answered = made.send(2, frameFor(2), 3000);
    peer.ack(2);
    await clock.advance(3000);
    expect(await answered).toMatchObject({ kind: 'ack', code: 0 });
    expect(await lostOne).toMatchObject({ kind: 'lost', timedOut: true, written: true });
    expect(made.closed).toBe(false);
    // The late ack for the given-up frame changes nothing.
    peer.ack(1);
    const third = made.send(3, frameFor(3), 3000);
    peer.ack(3);
    expect(await third).toMatchObject({ kind: 'ack', code: 0 });
    expect(made.load()).toBe(0);
  });

  it('a frame still queued behind the window when it times out was never written', async () => {
    const peer = scriptedPeer();
    const { clock, made } = connection(peer, { window: 1 });
    await made.open();
    void made.send(1, frameFor(1), 10_000);
    const queued = made.send(2, frameFor(2), 2000);
    await clock.advance(2000);
    expect(await queued).toMatchObject({ kind: 'lost', timedOut: true, written: false });
    expect(peer.frames.map((frame) => frame.uniq)).toEqual([1]);
  });

  it('sends a heartbeat within the interval of silence, and closes when one goes unanswered', async () => {
    const peer = scriptedPeer();
    const { clock, closes, made } = connection(peer, { heartbeatMs: 1000 });
    await made.open();
    await clock.advance(500);
    expect(peer.frames.map((frame) => frame.type)).toEqual([8]);
    peer.heartbeatReply();
    await clock.advance(500);
    expect(peer.frames.map((frame) => frame.type)).toEqual([8, 8]);
    expect(made.closed).toBe(false);
    await clock.advance(500);
    expect(made.closed).toBe(true);
    expect(closes[0]?.message).toMatch(/no heartbeat reply within 500 ms/);
  });

  it('writes no heartbeat while frames flow, and closes quietly after tcp_idle_time without frames', async () => {
    const peer = scriptedPeer();
    const { clock, closes, made } = connection(peer, { heartbeatMs: 1000, idleMs: 2500 });
    await made.open();
    for (let step = 0; step < 4; step++) {
      const sent = made.send(step, frameFor(step), 5000);
      peer.ack(step);
      await sent;
      await clock.advance(400);
    }
    expect(peer.frames.every((frame) => frame.type === 7)).toBe(true);
    for (let step = 0; step < 8; step++) {
      await clock.advance(500);
      peer.heartbeatReply();
    }
    expect(made.closed).toBe(true);
    expect(closes).toEqual([undefined]);
  });

  it.each([
    ['bad magic', Uint8Array.from([0, 0, 0, 9, 7, 0, 0, 0, 1, 0, 0, 0xee, 0x02])],
    ['a huge totalLen', Uint8Array.from([0x7f, 0xff, 0xff, 0xff])],
    ['an unknown msgType', Uint8Array.from([0, 0, 0, 9, 3, 0, 0, 0, 1, 0, 0, 0xee, 0x01])],
  ])('drops the connection on %s with a TcpProtocolError; waiting frames are lost, not acked', async (_name, garbage) => {
    const peer = scriptedPeer();
    const { clock, closes, made } = connection(peer);
    await made.open();
    const waiting = made.send(1, frameFor(1), 5000);
    peer.raw(garbage);
    await clock.advance(0);
    expect(await waiting).toMatchObject({ kind: 'lost', written: true });
    expect(isTcpProtocolError(closes[0])).toBe(true);
    expect(peer.isOpen()).toBe(false);
  });
});

describe('TCP endpoint and pool', () => {
  function endpoint(peer: ReturnType<typeof scriptedPeer>, nodes = ['tcp://127.0.0.1:46801']) {
    const clock = createFakeClock();
    const pool = createNodePool({ clock, parkMs: 20_000 });
    pool.setNodes(nodes);
    const errors: string[] = [];
    const made = createTcpEndpoint({
      clock,
      connector: peer.connector,
      route: () => ({ pool }),
      timeoutMs: 5000,
      maxFrameBytes: 300,
      window: 8,
      heartbeatMs: 60_000,
      idleMs: 600_000,
      onError: (error, node) => errors.push(`${node} ${error.name}`),
    });
    return { clock, pool, made, errors };
  }
  const pack = (records: string[], groupId = 'g') => ({ id: 'p', groupId, streamId: 's', records, dt: 0, bytes: 0, attempts: 0, createdAt: 0 });

  it("maps acks to the retry policy's outcomes and parks a node that answered a transient code", async () => {
    const peer = scriptedPeer();
    const { clock, pool, made } = endpoint(peer, ['tcp://127.0.0.1:1', 'tcp://127.0.0.1:2']);
    const first = made.deliver([pack(['a'])]);
    await clock.advance(0);
    peer.ack(peer.frames[0]?.uniq ?? -1, 'dpIp=1.2.3.4&errCode=114&errMsg=full');
    expect(await first).toEqual([{ kind: 'reply', status: 200, code: 114, message: 'full' }]);
    const parked = pool.pick();
    // One node was parked: the next two picks both land on the other.
    expect(pool.pick()).toBe(parked);
    const second = made.deliver([pack(['b'])]);
    await clock.advance(0);
    peer.ack(peer.frames[1]?.uniq ?? -1, 'dpIp=1.2.3.4&errCode=115&errMsg=Topic not configured');
    expect(await second).toEqual([{ kind: 'reply', status: 200, code: 115, message: 'Topic not configured' }]);
  });

  it('sends nothing for a frame over max-msg-length (104: split) or ids an attr cannot carry (109)', async () => {
    const peer = scriptedPeer();
    const { made } = endpoint(peer);
    const [tooLong] = await made.deliver([pack(['x'.repeat(150), 'y'.repeat(150)])]);
    expect(tooLong).toMatchObject({ kind: 'reply', code: 104 });
    const [badIds] = await made.deliver([pack(['x'], 'grüppe')]);
    expect(badIds).toMatchObject({ kind: 'reply', code: 109, message: expect.stringMatching(/not sent: groupId/) });
    expect(peer.frames).toEqual([]);
    expect(peer.connects()).toBe(0);
  });

  it('reconnects with backoff after refused connections, then resumes on one persistent socket', async () => {
    const peer = scriptedPeer({ refuse: 2 });
    const { clock, made } = endpoint(peer);
    const [first] = await made.deliver([pack(['a'])]);
    expect(first).toMatchObject({ kind: 'network', message: expect.stringMatching(/connect refused/) });
    // Within the backoff no new attempt is made; the attempt waits for it.
    const second = made.deliver([pack(['b'])]);
    await clock.advance(0);
    expect(peer.connects()).toBe(1);
    await clock.advance(3000);
    expect(peer.connects()).toBe(2);
    expect((await second)[0]).toMatchObject({ kind: 'network' });
    const third = made.deliver([pack(['c'])]);
    await clock.advance(3000);
    expect(peer.connects()).toBe(3);
    peer.ack(peer.frames[0]?.uniq ?? -1);
    expect((await third)[0]).toMatchObject({ kind: 'reply', code: 0 });
    for (const record of ['d', 'e']) {
      const next = made.deliver([pack([record])]);
      await clock.advance(0);
      peer.ack(peer.frames.at(-1)?.uniq ?? -1);
      expect((await next)[0]).toMatchObject({ code: 0 });
    }
    expect(peer.connects()).toBe(3);
  });

  it('a reset loses the frames it held as network outcomes and reports the error; the next frame reconnects', async () => {
    const peer = scriptedPeer();
    const { clock, made, errors } = endpoint(peer);
    const waiting = made.deliver([pack(['a']), pack(['b'])]);
    await clock.advance(0);
    peer.reset();
    expect(await waiting).toEqual([
      { kind: 'network', timedOut: false, message: expect.stringMatching(/ECONNRESET before the ack \(frame written\)/) },
      { kind: 'network', timedOut: false, message: expect.stringMatching(/ECONNRESET/) },
    ]);
    expect(errors).toEqual(['tcp://127.0.0.1:46801 NetworkError']);
    const again = made.deliver([pack(['c'])]);
    await clock.advance(0);
    peer.ack(peer.frames.at(-1)?.uniq ?? -1);
    expect((await again)[0]).toMatchObject({ code: 0 });
    expect(peer.connects()).toBe(2);
    made.close();
    expect(peer.isOpen()).toBe(false);
  });
});
