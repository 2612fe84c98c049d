type FsPromises = typeof import('node:fs/promises');

/**
 * The file system a `LoggingConsumer` writes through (structurally its `FileSystem`).
 * @example const fs: NodeFileSystem = createNodeFileSystem(); await fs.append('/tmp/a.log', 'x\n');
 */
export interface NodeFileSystem {
  readonly name: string;
  mkdir(path: string): Promise<void>;
  append(path: string, text: string): Promise<void>;
  size(path: string): Promise<number>;
}

/**
 * Files through `node:fs/promises`, loaded on first use so importing this module does nothing
 * and bundles for browsers never evaluate it. Works on Node and on Deno, which serves `node:`
 * specifiers.
 * @example const consumer = new LoggingConsumerCore({ directory: './logs' }, { fs: createNodeFileSystem(), clock });
 */
export function createNodeFileSystem(): NodeFileSystem {
  let loaded: Promise<FsPromises> | undefined;
  const fs = (): Promise<FsPromises> => (loaded ??= import('node:fs/promises'));
  return {
    name: 'node-fs',
    async mkdir(path) {
      await (await fs()).mkdir(path, { recursive: true });
    },
    async append(path, text) {
      await (await fs()).appendFile(path, text, 'utf8');
    },
    async size(path) {
      try {
        return (await (await fs()).stat(path)).size;
      } catch (error) {
        // A file not written yet is an empty file for the size split.
        if ((error as { code?: unknown } | null)?.code === 'ENOENT') return 0;
        throw error;
      }
    },
  };
}

/**
 * True where `node:fs/promises` can be imported: Node, and Deno (which supports `node:`
 * specifiers). Feature detection on the runtime's version objects, never on `window`.
 * @example const fs = hasNodeFileSystem() ? createNodeFileSystem() : undefined;
 */
export function hasNodeFileSystem(): boolean {
  const scope = globalThis as { process?: { versions?: { node?: unknown } }; Deno?: { version?: unknown } };
  return typeof scope.process?.versions?.node === 'string' || typeof scope.Deno?.version === 'object';
}
