import type { Clock } from '../core/types.js';
import type { TdRecord } from '../core/record.js';
import { ConfigError } from '../core/errors/config-error.js';
import { createErrorChannel, type Consumer, type ErrorChannel, type ErrorListener } from './consumer.js';
import { closedError, readBoolean, readNumber, serialize } from './consumer-sender.js';

/**
 * The file access a `LoggingConsumer` needs, injected by the entry (`createNodeFileSystem()` on
 * Node and Deno) so the consumer itself reads no runtime globals.
 * @example const fs: FileSystem = { mkdir: async () => {}, append: async (path, text) => void files.set(path, (files.get(path) ?? '') + text), size: async (path) => (files.get(path) ?? '').length };
 */
export interface FileSystem {
  /** Creates the directory and its parents; succeeds when it exists. */
  mkdir(path: string): Promise<void>;
  /** Appends UTF-8 text, creating the file. */
  append(path: string, text: string): Promise<void>;
  /** Size in bytes; 0 for a file that does not exist. */
  size(path: string): Promise<number>;
}

/**
 * Options of {@link LoggingConsumerCore} (ThinkingData's `LoggingConsumer`, for LogBus).
 * @example const options: LoggingConsumerOptions = { directory: '/var/log/td', prefix: 'shop', fileSize: 256 };
 */
export interface LoggingConsumerOptions {
  /** Directory of the log files; created when missing. */
  directory: string;
  /** File name prefix: `<prefix>.log.2026-01-02`. */
  prefix?: string;
  /** One file per hour (`log.2026-01-02-03`) instead of per day. */
  rotateHourly?: boolean;
  /** Split at this many MB: `log.2026-01-02_0`, `_1`, … Default: no split. */
  fileSize?: number;
  /** Records held before a write; default 5. */
  bufferSize?: number;
  /** Write failures, with the lines that were not written. */
  onError?: ErrorListener;
}

/**
 * What a `LoggingConsumerCore` gets from its runtime.
 * @example const deps: LoggingDeps = { fs: createNodeFileSystem(), clock: createSystemClock() };
 */
export interface LoggingDeps {
  /** Missing where the runtime has no file system: the constructor then throws a `ConfigError`. */
  fs?: FileSystem;
  /** File names follow this clock (local time, as ThinkingData's). */
  clock: Pick<Clock, 'now'>;
}

const MB = 1024 * 1024;
const pad = (value: number): string => String(value).padStart(2, '0');

/**
 * ThinkingData's `LoggingConsumer`: appends records, one JSON per line, to
 * `<directory>/[prefix.]log.YYYY-MM-DD` (hourly: `YYYY-MM-DD-HH`), with a `_0`, `_1`, … suffix
 * when `fileSize` is set, moving to the next once a file reaches that size. Records are
 * written every `bufferSize` records and on `flush()`/`close()`; a failed write is reported
 * through `onError` with its lines. A shipper (LogBus) uploads the files.
 * @example
 * const consumer = new LoggingConsumerCore({ directory: '/var/log/td', rotateHourly: true }, { fs: createNodeFileSystem(), clock });
 */
export class LoggingConsumerCore implements Consumer {
  readonly #fs: FileSystem;
  readonly #clock: Pick<Clock, 'now'>;
  readonly #errors: ErrorChannel;
  readonly #directory: string;
  readonly #prefix: string;
  readonly #hourly: boolean;
  readonly #limitBytes: number | undefined;
  readonly #bufferSize: number;
  #buffer: string[] = [];
  #writing: Promise<void> = Promise.resolve();
  #directoryReady = false;
  #base = '';
  #index = 0;
  #closed = false;

  constructor(options: LoggingConsumerOptions, deps: LoggingDeps) {
    if (!deps.fs) throw new ConfigError('fs', 'LoggingConsumer needs a file system (Node or Deno); in browsers and Workers use BatchConsumer');
    if (!options || typeof options.directory !== 'string' || options.directory.trim() === '') {
      throw new ConfigError('directory', 'is required: where the log files go');
    }
    if (options.prefix !== undefined && typeof options.prefix !== 'string') throw new ConfigError('prefix', 'must be a string');
    this.#fs = deps.fs;
    this.#clock = deps.clock;
    this.#errors = createErrorChannel(options.onError);
    this.#directory = options.directory.replace(/[\\/]+$/, '') || options.directory;
    this.#prefix = options.prefix ? `${options.prefix}.` : '';
    this.#hourly = readBoolean('rotateHourly', options.rotateHourly, false);
    const fileSize = options.fileSize === undefined ? undefined : readNumber('fileSize', options.fileSize, 0, { min: Number.MIN_VALUE });
    this.#limitBytes = fileSize === undefined ? undefined : fileSize * MB;
    this.#bufferSize = readNumber('bufferSize', options.bufferSize, 5, { min: 1 });
  }

  add(record: TdRecord): void {
    const line = serialize(record, this.#errors);
    if (line === undefined) return;
    if (this.#closed) return this.#errors.emit(closedError(line), [line]);
    this.#buffer.push(line);
    if (this.#buffer.length >= this.#bufferSize) this.#write();
  }

  /** Writes what is buffered now; resolves when every write so far is done (or reported). */
  async flush(): Promise<void> {
    this.#write();
    await this.#writing;
  }

  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
  }

  addErrorListener(listener: ErrorListener): void {
    this.#errors.add(listener);
  }

  #write(): void {
    if (this.#buffer.length === 0) return;
    const lines = this.#buffer;
    this.#buffer = [];
    // The file is chosen by the time the lines leave the buffer, not when the chained write
    // runs, so a slow disk cannot push records into the next day's file.
    const period = this.#period(new Date(this.#clock.now()));
    // Writes are chained so lines land in order and size checks see the previous write.
    this.#writing = this.#writing.then(() =>
      this.#append(lines, period).catch((error: unknown) => this.#errors.emit(error instanceof Error ? error : new Error(String(error)), lines)),
    );
  }

  async #append(lines: string[], period: string): Promise<void> {
    if (!this.#directoryReady) {
      await this.#fs.mkdir(this.#directory);
      this.#directoryReady = true;
    }
    const base = `${this.#prefix}log.${period}`;
    if (base !== this.#base) {
      this.#base = base;
      this.#index = 0;
    }
    let path = this.#path();
    const limit = this.#limitBytes;
    if (limit !== undefined) {
      while ((await this.#fs.size(path)) >= limit) {
        this.#index += 1;
        path = this.#path();
      }
    }
    await this.#fs.append(path, `${lines.join('\n')}\n`);
  }

  #path(): string {
    const suffix = this.#limitBytes === undefined ? '' : `_${this.#index}`;
    return `${this.#directory}/${this.#base}${suffix}`;
  }

  #period(date: Date): string {
    const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    return this.#hourly ? `${day}-${pad(date.getHours())}` : day;
  }
}
