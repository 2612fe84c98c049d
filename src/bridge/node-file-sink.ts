import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createRecordRing, toStoredRecords } from './embedded-sink.js';
import { OK_RESULT, type Sink, type SinkPage, type StoredRecord } from './sink.js';

export interface NodeFileSinkOptions {
  /** JSON-lines file; created with its directory when missing, appended to otherwise. */
  path: string;
  /** Newest records served from memory; older pages are read from the file. Default 10,000. */
  memoryRecords?: number;
  now?: () => number;
}

/**
 * The embedded sink on disk, for the CLI and the playground (Node only). Each record is one JSON
 * line `{"seq","groupId","streamId","dt","at","record"}`; a write resolves only after the lines
 * are appended and `fdatasync`ed, so an acknowledged pack survives a crash. Writes are
 * serialised, so sequence numbers follow file order. On start the file is scanned to continue
 * numbering; a torn last line (a crash mid-append) is skipped.
 * @example
 * const sink = await createNodeFileSink({ path: '.inlong/records.jsonl' });
 * await sink.write([{ groupId: 'g', streamId: 's', dt: Date.now(), records: ['{}'] }]);
 * await sink.read(0, 100);
 */
export async function createNodeFileSink(options: NodeFileSinkOptions): Promise<Sink & Required<Pick<Sink, 'read' | 'close'>> & { path: string }> {
  const path = resolve(options.path);
  const now = options.now ?? Date.now;
  const ring = createRecordRing(Math.max(1, options.memoryRecords ?? 10_000));
  await mkdir(dirname(path), { recursive: true });
  let lastSeq = 0;
  for await (const stored of scan(path, 0)) {
    ring.push(stored);
    lastSeq = stored.seq;
  }
  const handle: FileHandle = await open(path, 'a');
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const append = async (records: StoredRecord[]): Promise<void> => {
    if (closed) throw new Error(`file sink ${path} is closed`);
    await handle.appendFile(records.map((record) => `${JSON.stringify(record)}\n`).join(''), 'utf8');
    await handle.datasync();
    for (const record of records) ring.push(record);
  };

  return {
    name: 'file',
    description: `embedded sink at ${path}`,
    path,
    write(packs) {
      const run = queue.then(async () => {
        const records = toStoredRecords(packs, lastSeq + 1, now());
        await append(records);
        lastSeq = records.at(-1)?.seq ?? lastSeq;
        return packs.map(() => OK_RESULT);
      });
      // The queue continues after a failed write; the failure itself reaches this caller.
      queue = run.catch((error: unknown) => error);
      return run;
    },
    async read(after, limit): Promise<SinkPage> {
      const first = ring.firstSeq();
      let records: StoredRecord[];
      if (first !== undefined && after >= first - 1) records = ring.after(after, limit);
      else {
        records = [];
        for await (const stored of scan(path, after)) {
          records.push(stored);
          if (records.length >= limit) break;
        }
      }
      return { records, next: records.at(-1)?.seq ?? after };
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await handle.close();
    },
  };
}

/** Stored records with `seq > after`, streamed from the file; a missing file is empty. */
async function* scan(path: string, after: number): AsyncGenerator<StoredRecord> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    // No file yet is the first run; any other error (permissions, a directory) is the caller's.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  // autoClose: destroying the stream closes the descriptor, also when the reader stops early.
  const stream = file.createReadStream({ encoding: 'utf8', autoClose: true });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const stored = parseLine(line);
      if (stored && stored.seq > after) yield stored;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

function parseLine(line: string): StoredRecord | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value = JSON.parse(line) as Partial<StoredRecord>;
    return typeof value.seq === 'number' && typeof value.record === 'string' ? (value as StoredRecord) : undefined;
  } catch {
    // A torn line from a crash mid-append: it was never acknowledged, so skipping it loses nothing.
    return undefined;
  }
}
