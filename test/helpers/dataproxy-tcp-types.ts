/** The shapes of the DataProxy TCP stand-in (dataproxy-tcp-fixture.ts): faults, stored frames, counters. */

/** What to do with the next msgType-7 frame(s) instead of (or on top of) the normal handling. */
export type TcpFault = { times?: number } & (
  /** An error ack with this code (attr echoed as DataProxy does for it); nothing stored. */
  | { code: number; msg?: string }
  /** Reset as the frame arrives: nothing stored, nothing answered. */
  | { resetBeforeStore: true }
  /** Stored, then reset before the ack: DataProxy holds data the client never heard about. */
  | { resetAfterStore: true }
  /** Stored and acked, then reset: the ack is on the wire, but may die unread in the client's kernel. */
  | { resetAfterAck: true }
  /** Read and ignored: not stored, no ack, connection kept (a hung handler). */
  | { silent: true }
  /** Stored, no ack ever: DataProxy holds data the client never heard about. */
  | { silentAfterStore: true }
  /** Closed without a reply, as Netty closes on a bad frame; nothing stored. */
  | { closeOnFrame: true }
  /** Answered with bytes that are not an ack; nothing stored. */
  | { garbage: 'bad-magic' | 'huge-length' | 'unknown-type' }
  /** Stops reading the connection for this long before handling the frame (a slow reader). */
  | { slowMs: number }
);

/** One stored msgType-7 frame. */
export interface TcpItem {
  groupId: string;
  streamId: string;
  /** Seconds, as on the wire. */
  dt: number;
  cnt: number;
  uniq: number;
  msgType: number;
  extField: number;
  compressed: boolean;
  records: string[];
  attr: Map<string, string>;
  /** Wire bytes of the frame, length prefix included. */
  frameBytes: number;
  connection: number;
  /**
   * The client may never have read an ack for it: none was written (stored, then reset or
   * silence), or it was written less than {@link ACK_AT_RISK_MS} before the server closed or
   * reset the connection — a RST makes the client's kernel discard what it has not read yet.
   * A resend legitimately duplicates these records.
   */
  storedWithoutAck: boolean;
  /** When the ack was written, or 0. */
  ackedAt: number;
  at: number;
}

/** How long before a server-side close an ack counts as possibly unread by the client (loopback reads take microseconds). */
export const ACK_AT_RISK_MS = 200;

/** What the real server would ack and then lose downstream. Tests assert every count is 0. */
export interface LostCounts {
  trailingBytes: number;
  cntMismatch: number;
  corruptSnappy: number;
  badFraming: number;
  badFlags: number;
}

/** Connections the server closed without a reply, by reason. */
export interface CloseCounts {
  tooLong: number;
  unknownType: number;
  short: number;
  outOfFrame: number;
  badHeartbeat: number;
  idle: number;
  highWater: number;
  fault: number;
}

export interface TcpDataProxyNode {
  /** `tcp://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly received: TcpItem[];
  readonly lost: LostCounts;
  readonly closes: CloseCounts;
  /** Acks sent, by errCode (0 = success). */
  readonly acks: Map<number, number>;
  readonly heartbeats: number;
  /** Connections accepted, and how many of them the client (not the server) ended. */
  readonly connections: { accepted: number; endedByClient: number; open: number };
  records(): string[];
  /** Records of frames stored without an ack. */
  storedWithoutAck(): string[];
  waitForRecords(count: number, timeoutMs?: number): Promise<string[]>;
  inject(fault: TcpFault): void;
  clearFaults(): void;
  /** `['group/stream', 'group', ...]` with a topic (others get 115), or null for all. */
  setAllowedStreams(streams: readonly string[] | null): void;
  /** `reject` answers 2, `mq-not-ready` answers 1 (spec §2 step 6). */
  setState(state: 'ok' | 'reject' | 'mq-not-ready'): void;
  clear(): void;
  stop(): Promise<void>;
  kill(): Promise<void>;
  revive(): Promise<void>;
}

export interface TcpDataProxyOptions {
  /** `max-msg-length`, the 4 length bytes included; default 65,536 (code default). */
  maxMsgLength?: number;
  /** `maxReadIdleTime`: no inbound byte for this long → closed silently; default 180,000. */
  maxReadIdleMs?: number;
  /** Outbound bytes above which a frame closes the connection (`highWaterMark`); default 64 KiB. */
  highWaterMark?: number;
  allowedStreams?: readonly string[] | null;
  /** The source host IP DataProxy reports as `dpIp`; default 127.0.0.1. */
  dpIp?: string;
}
