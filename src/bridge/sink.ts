/**
 * Where accepted packs go. The bridge writes through one `Sink`: DataProxy forwarding
 * (`forward.ts`), the in-memory embedded sink (`embedded-sink.ts`), or the Node file sink
 * (`node-file-sink.ts`). A sink answers one result per pack, in order, with DataProxy codes.
 */

/** One `(groupId, streamId)` batch of records, as the bridge hands it to a sink. */
export interface SinkPack {
  groupId: string;
  streamId: string;
  /** Data time in ms (DataProxy `dt`). */
  dt: number;
  records: string[];
}

/** One pack's outcome: DataProxy's `{code, msg}` (`code` is a string, spec 1.6). */
export interface SinkResult {
  code: string;
  msg: string;
}

/** A record as the embedded sinks keep it, numbered in arrival order. */
export interface StoredRecord {
  seq: number;
  groupId: string;
  streamId: string;
  dt: number;
  /** Receive time, ms. */
  at: number;
  record: string;
}

/** One page of stored records: those with `seq > after`, and the `seq` to ask after next. */
export interface SinkPage {
  records: StoredRecord[];
  next: number;
}

/**
 * A destination for packs. `write` never rejects for a delivery problem: it answers a code per
 * pack (`"0"` accepted; `"1"` and other transient codes make the client retry).
 * @example
 * const sink: Sink = createMemorySink();
 * await sink.write([{ groupId: 'g', streamId: 's', dt: Date.now(), records: ['{}'] }]); // [{ code: '0', msg: 'Ok' }]
 */
export interface Sink {
  readonly name: string;
  /** One line for logs and the CLI, e.g. `embedded sink at ./records.jsonl`; never holds secrets. */
  readonly description: string;
  write(packs: readonly SinkPack[]): Promise<SinkResult[]>;
  /** Records with `seq > after`, at most `limit` (embedded sinks only). */
  read?(after: number, limit: number): Promise<SinkPage>;
  close?(): Promise<void>;
}

/**
 * The success reply, exactly as DataProxy writes it (spec 1.6).
 * @example JSON.stringify(OK_RESULT) // '{"code":"0","msg":"Ok"}'
 */
export const OK_RESULT: SinkResult = Object.freeze({ code: '0', msg: 'Ok' });
