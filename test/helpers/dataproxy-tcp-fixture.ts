/**
 * A stand-in for InLong DataProxy's TCP source (spec inlong-tcp §0–3) on raw `node:net`, with
 * fault injection. It frames like Netty's `LengthFieldBasedFrameDecoder` (max frame length
 * counts the 4 length bytes; too long → closed, no reply), validates msgType-7 frames in the
 * order of spec §2, answers acks with the exact attr of §1.2, answers heartbeats, closes idle
 * connections and ones whose unread acks pass the high-water mark, and counts what the real
 * server would ack and the downstream parser then drop (`lost`: tests assert it stays 0).
 */
import { createServer, type Server, type Socket } from 'node:net';
export * from './dataproxy-tcp-types.js';
import { ACK_AT_RISK_MS, type CloseCounts, type LostCounts, type TcpDataProxyNode, type TcpDataProxyOptions, type TcpFault, type TcpItem } from './dataproxy-tcp-types.js';
import { ackAttr, buildAck, buildHeartbeatReply, decodeBody, describeFrame, MAGIC, readHeartbeat, splitAttr } from './tcp-wire.js';

const DEFAULT_MSGS: Record<number, string> = {
  1: 'Sink service unready',
  2: 'Service closed',
  94: `magicInMsg(0) != ${MAGIC}`,
  95: 'Error length',
  100: 'Field groupId must exist and not blank!',
  105: 'Body length is zero',
  106: 'Body length is less than zero',
  107: 'Attr length is less than zero',
  109: 'Split attributes failure',
  112: 'Unsupported extend field value',
  114: 'Put msg event to channel failure: injected',
};
/** Codes found before the attr is read: the ack echoes nothing (§1.2). */
const NO_ECHO = new Set([94, 95, 105, 106, 107]);
/** Codes raised after `validAndFillFields`: the ack echoes the rewritten attr (with rtms). */
const REWRITTEN_ECHO = new Set([114]);

/**
 * Starts a DataProxy TCP source stand-in on 127.0.0.1.
 * @example
 * const dp = await startTcpDataProxy();
 * dp.inject({ resetAfterStore: true });
 * // ... send frames to dp.url ...
 * expect(dp.lost).toEqual({ trailingBytes: 0, cntMismatch: 0, corruptSnappy: 0, badFraming: 0, badFlags: 0 });
 * await dp.stop();
 */
export async function startTcpDataProxy(options: TcpDataProxyOptions = {}): Promise<TcpDataProxyNode> {
  const maxMsgLength = options.maxMsgLength ?? 65_536;
  const maxReadIdleMs = options.maxReadIdleMs ?? 180_000;
  const highWaterMark = options.highWaterMark ?? 65_536;
  const dpIp = options.dpIp ?? '127.0.0.1';
  let allowed = options.allowedStreams ? new Set(options.allowedStreams) : null;
  let state: 'ok' | 'reject' | 'mq-not-ready' = 'ok';
  const received: TcpItem[] = [];
  const lost: LostCounts = { trailingBytes: 0, cntMismatch: 0, corruptSnappy: 0, badFraming: 0, badFlags: 0 };
  const closes: CloseCounts = { tooLong: 0, unknownType: 0, short: 0, outOfFrame: 0, badHeartbeat: 0, idle: 0, highWater: 0, fault: 0 };
  const acks = new Map<number, number>();
  const connections = { accepted: 0, endedByClient: 0, open: 0 };
  const faults: Array<{ fault: TcpFault; left: number }> = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let heartbeats = 0;
  let connectionCount = 0;

  const takeFault = (): TcpFault | null => {
    const entry = faults[0];
    if (!entry) return null;
    entry.left -= 1;
    if (entry.left <= 0) faults.shift();
    return entry.fault;
  };

  const later = (ms: number, run: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  const onConnection = (socket: Socket): void => {
    const id = ++connectionCount;
    connections.accepted++;
    connections.open++;
    sockets.add(socket);
    let buffer: Buffer = Buffer.alloc(0);
    let serverClosed = false;
    let pausedUntil = 0;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const mine: TcpItem[] = [];
    /** Acks written just before this side closes may die unread on the client: see storedWithoutAck. */
    const atRisk = (): void => {
      const since = Date.now() - ACK_AT_RISK_MS;
      for (const item of mine) if (item.ackedAt >= since) item.storedWithoutAck = true;
    };
    const closeBy = (reason: keyof CloseCounts | null, how: 'end' | 'reset' = 'end'): void => {
      if (serverClosed) return;
      serverClosed = true;
      atRisk();
      if (reason) closes[reason]++;
      if (how === 'reset') socket.resetAndDestroy();
      else socket.destroy();
    };
    const armIdle = (): void => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => closeBy('idle'), maxReadIdleMs);
    };
    armIdle();
    // A reset or an end from the client: 'close' follows and counts it.
    socket.on('error', (error: NodeJS.ErrnoException) => void error);
    socket.on('close', () => {
      // A client that drops a connection may drop acks it had not read yet, too.
      if (!serverClosed) atRisk();
      if (!serverClosed) connections.endedByClient++;
      serverClosed = true;
      if (idleTimer) clearTimeout(idleTimer);
      connections.open--;
      sockets.delete(socket);
    });
    const ack = (uniq: number, code: number, attr: string): boolean => {
      if (serverClosed || socket.destroyed) return false;
      socket.write(buildAck(uniq, attr));
      acks.set(code, (acks.get(code) ?? 0) + 1);
      return true;
    };

    /** One frame, `frame` including its 4 length bytes. Returns false when the connection ended. */
    const handle = (frame: Buffer): boolean => {
      const msgType = frame.readUInt8(4);
      const low = msgType & 0x1f;
      if (msgType === 0 || low < 1 || low > 8) {
        closeBy('unknownType');
        return false;
      }
      if (low === 1) {
        socket.write(Buffer.from([0, 0, 0, 1, 1]));
        return true;
      }
      if (low === 8) {
        const heartbeat = readHeartbeat(frame);
        if (!heartbeat) {
          closeBy('badHeartbeat');
          return false;
        }
        heartbeats++;
        socket.write(buildHeartbeatReply(heartbeat.version, heartbeat.attr, Date.now()));
        return true;
      }
      if (low !== 7) {
        // Text types 2..6 exist in DataProxy; no client of ours sends them.
        closeBy('unknownType');
        return false;
      }
      return handleBinary(frame);
    };

    const handleBinary = (frame: Buffer): boolean => {
      if (socket.writableLength > highWaterMark) {
        closeBy('highWater');
        return false;
      }
      const described = describeFrame(frame);
      if (described.kind === 'close') {
        closeBy(described.reason === 'short' ? 'short' : 'outOfFrame');
        return false;
      }
      const { uniq } = described;
      const fault = takeFault();
      if (fault && 'resetBeforeStore' in fault) return closeBy('fault', 'reset'), false;
      if (fault && 'closeOnFrame' in fault) return closeBy('fault'), false;
      if (fault && 'silent' in fault) return true;
      if (fault && 'garbage' in fault) {
        const garbage = { 'bad-magic': buildAck(uniq, `dpIp=${dpIp}`), 'huge-length': Buffer.from([0x7f, 0xff, 0xff, 0xff, 7]), 'unknown-type': Buffer.from([0, 0, 0, 9, 3, 0, 0, 0, 1, 0, 0, 0xee, 1]) }[fault.garbage];
        if (fault.garbage === 'bad-magic') garbage.writeUInt16BE(0xbeef, garbage.length - 2);
        socket.write(garbage);
        return true;
      }
      const error = (code: number, msg: string, echoed: string): true => {
        ack(uniq, code, ackAttr(dpIp, code, msg, echoed));
        return true;
      };
      if (fault && 'code' in fault) {
        const echoed = NO_ECHO.has(fault.code) ? '' : REWRITTEN_ECHO.has(fault.code) ? rewrite(described.attrText) : described.attrText;
        return error(fault.code, fault.msg ?? DEFAULT_MSGS[fault.code] ?? `injected code ${fault.code}`, echoed);
      }
      // §2 step 5, in order.
      if (described.bodyLen === 0) return error(105, DEFAULT_MSGS[105] ?? '', '');
      if (described.bodyLen < 0) return error(106, DEFAULT_MSGS[106] ?? '', '');
      if (described.attrLen < 0) return error(107, DEFAULT_MSGS[107] ?? '', '');
      if (described.magic !== MAGIC) return error(94, `magicInMsg(${described.magic}) != ${MAGIC}`, '');
      if (29 + described.bodyLen + described.attrLen > frame.length) return error(95, DEFAULT_MSGS[95] ?? '', '');
      const attr = splitAttr(described.attrText);
      if (!attr) return error(109, DEFAULT_MSGS[109] ?? '', described.attrText);
      const wantsAck = (attr.get('isAck') ?? '').toLowerCase() !== 'false';
      // Step 6: service state.
      if (state === 'reject') return error(2, DEFAULT_MSGS[2] ?? '', described.attrText);
      if (state === 'mq-not-ready') return error(1, DEFAULT_MSGS[1] ?? '', described.attrText);
      // Step 7: ids.
      if ((described.extField & 0x18) !== 0) return error(112, DEFAULT_MSGS[112] ?? '', described.attrText);
      if ((described.extField & 0x4) === 0) {
        return frame.readUInt16BE(5) === 0 ? error(100, DEFAULT_MSGS[100] ?? '', described.attrText) : error(3, 'Configure service unready', described.attrText);
      }
      const groupId = attr.get('groupId') ?? '';
      const streamId = attr.get('streamId') ?? '';
      if (groupId.trim() === '') return error(100, DEFAULT_MSGS[100] ?? '', described.attrText);
      if (allowed !== null && !allowed.has(`${groupId}/${streamId}`) && !allowed.has(groupId)) {
        return error(115, `Topic not configured for groupId=(${groupId}), streamId=(${streamId})`, described.attrText);
      }
      // Step 8 would be the channel put (114, injected above). Then the source acks; the
      // downstream parser decides whether the data survives.
      const decoded = decodeBody(described);
      const dropped = decoded.lost !== undefined || described.trailing > 0;
      if (described.trailing > 0) lost.trailingBytes++;
      if (decoded.lost === 'bad-flags') lost.badFlags++;
      if (decoded.lost === 'corrupt-snappy') lost.corruptSnappy++;
      if (decoded.lost === 'bad-framing') lost.badFraming++;
      if (!dropped && Math.max(1, described.cnt) !== decoded.records.length) lost.cntMismatch++;
      const item: TcpItem = {
        groupId,
        streamId,
        dt: described.dt,
        cnt: described.cnt,
        uniq,
        msgType: described.msgType,
        extField: described.extField,
        compressed: decoded.compressed,
        records: dropped ? [] : decoded.records,
        attr,
        frameBytes: frame.length,
        connection: id,
        storedWithoutAck: true,
        ackedAt: 0,
        at: Date.now(),
      };
      received.push(item);
      mine.push(item);
      if (fault && 'resetAfterStore' in fault) return closeBy('fault', 'reset'), false;
      if (fault && 'silentAfterStore' in fault) return true;
      item.storedWithoutAck = !wantsAck || !ack(uniq, 0, ackAttr(dpIp, 0, '', rewrite(described.attrText)));
      if (!item.storedWithoutAck) item.ackedAt = Date.now();
      if (fault && 'resetAfterAck' in fault) {
        // The ack is written first; whether the client reads it before the RST is the race this fault is about.
        closeBy('fault', 'reset');
        return false;
      }
      return true;
    };

    const drain = (): void => {
      while (!serverClosed && buffer.length >= 4) {
        if (Date.now() < pausedUntil) return;
        const total = buffer.readUInt32BE(0);
        // failFast: the length alone decides, before its bytes arrive.
        if (total + 4 > maxMsgLength) return closeBy('tooLong');
        if (buffer.length < total + 4) return;
        const frame = buffer.subarray(0, total + 4);
        const peek = faults[0]?.fault;
        if (peek && 'slowMs' in peek && (frame.readUInt8(4) & 0x1f) === 7) {
          takeFault();
          pausedUntil = Date.now() + peek.slowMs;
          socket.pause();
          later(peek.slowMs, () => {
            pausedUntil = 0;
            if (!socket.destroyed) socket.resume();
            drain();
          });
          return;
        }
        buffer = buffer.subarray(total + 4);
        if (!handle(Buffer.from(frame))) return;
      }
    };

    socket.on('data', (chunk: Buffer) => {
      armIdle();
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      drain();
    });
  };

  const rewrite = (attrText: string): string => (splitAttr(attrText)?.has('rtms') ? attrText : `rtms=${Date.now()}${attrText === '' ? '' : `&${attrText}`}`);

  let server: Server = createServer(onConnection);
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  const port = await listen(0);
  const records = (): string[] => received.flatMap((item) => item.records);
  const kill = async (): Promise<void> => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return {
    url: `tcp://127.0.0.1:${port}`,
    port,
    received,
    lost,
    closes,
    acks,
    get heartbeats() {
      return heartbeats;
    },
    connections,
    records,
    storedWithoutAck: () => received.filter((item) => item.storedWithoutAck).flatMap((item) => item.records),
    waitForRecords: async (count, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      while (records().length < count) {
        if (Date.now() > deadline) throw new Error(`waitForRecords: ${records().length}/${count} records after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return records();
    },
    inject: (fault) => void faults.push({ fault, left: fault.times ?? 1 }),
    clearFaults: () => void faults.splice(0),
    setAllowedStreams: (streams) => {
      allowed = streams === null ? null : new Set(streams);
    },
    setState: (next) => {
      state = next;
    },
    clear: () => {
      received.splice(0);
      acks.clear();
      for (const key of Object.keys(lost) as Array<keyof LostCounts>) lost[key] = 0;
    },
    stop: kill,
    kill,
    revive: async () => {
      server = createServer(onConnection);
      await listen(port);
    },
  };
}
