/**
 * The part of the `Deno` namespace this adapter uses (so Node's type check needs no Deno types).
 * @example createDenoFileSystem(Deno)
 */
export interface DenoFileApi {
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  writeTextFile(path: string, data: string, options?: { append?: boolean; create?: boolean }): Promise<void>;
  stat(path: string): Promise<{ size: number }>;
  errors?: { NotFound?: abstract new (...args: never[]) => Error };
}

/**
 * The file system a `LoggingConsumer` writes through (structurally its `FileSystem`).
 * @example await createDenoFileSystem().append('./logs/log.2026-01-02', '{"#type":"track"}\n');
 */
export interface DenoFileSystem {
  readonly name: string;
  mkdir(path: string): Promise<void>;
  append(path: string, text: string): Promise<void>;
  size(path: string): Promise<number>;
}

/**
 * Files through Deno's own API (`Deno.mkdir`, `Deno.writeTextFile` with `append`, `Deno.stat`),
 * so a Deno program needs only `--allow-write`/`--allow-read` for the log directory and no
 * Node compatibility layer. `Deno` is read on first use, so importing does nothing.
 * @example const consumer = new LoggingConsumer({ directory: './logs' }, { fs: createDenoFileSystem() });
 */
export function createDenoFileSystem(deno?: DenoFileApi): DenoFileSystem {
  const api = (): DenoFileApi => {
    const found = deno ?? readDeno();
    if (found === undefined) throw new Error('Deno is not available here: pass the Deno namespace to createDenoFileSystem');
    return found;
  };
  return {
    name: 'deno-fs',
    mkdir: (path) => api().mkdir(path, { recursive: true }),
    append: (path, text) => api().writeTextFile(path, text, { append: true, create: true }),
    async size(path) {
      const files = api();
      try {
        return (await files.stat(path)).size;
      } catch (error) {
        // A file not written yet is an empty file for the size split.
        if (isNotFound(error, files)) return 0;
        throw error;
      }
    },
  };
}

/**
 * True where the Deno file API exists (feature detection, not a runtime name check).
 * @example const fs = hasDenoFileSystem() ? createDenoFileSystem() : undefined;
 */
export function hasDenoFileSystem(): boolean {
  return readDeno() !== undefined;
}

function readDeno(): DenoFileApi | undefined {
  const deno = (globalThis as { Deno?: Partial<DenoFileApi> }).Deno;
  const usable = typeof deno?.mkdir === 'function' && typeof deno.writeTextFile === 'function' && typeof deno.stat === 'function';
  return usable ? (deno as DenoFileApi) : undefined;
}

function isNotFound(error: unknown, files: DenoFileApi): boolean {
  const NotFound = files.errors?.NotFound;
  if (NotFound !== undefined && error instanceof NotFound) return true;
  return (error as { name?: unknown } | null)?.name === 'NotFound';
}
