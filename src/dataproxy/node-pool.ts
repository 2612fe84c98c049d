import type { Clock } from '../core/types.js';

export interface NodePoolOptions {
  clock: Clock;
  /** How long a node that failed is skipped, in ms (the Java SDK's `httpNodeReuseWaitIfFailMs`). */
  parkMs?: number;
}

export interface NodePool {
  /** Replaces the node list (base URLs such as `http://10.0.0.5:46802`), keeping parked state. */
  setNodes(urls: readonly string[]): void;
  nodes(): readonly string[];
  /** The next node to try: round-robin from a random start, skipping parked nodes while any other is left. */
  pick(): string | undefined;
  /** A node failed (5xx or no reply): skip it for `parkMs`. */
  park(url: string): void;
}

/**
 * The DataProxy nodes one client sends to. Order is shuffled once per list so that many
 * clients spread their load, as the Java SDK does with its alive-connection subset.
 * @example const pool = createNodePool({ clock }); pool.setNodes(['http://127.0.0.1:46802']); pool.pick();
 */
export function createNodePool(options: NodePoolOptions): NodePool {
  const { clock } = options;
  const parkMs = options.parkMs ?? 20_000;
  const parkedUntil = new Map<string, number>();
  let list: string[] = [];
  let cursor = 0;

  return {
    setNodes(urls) {
      const unique = [...new Set(urls.map((url) => url.replace(/\/+$/, '')))];
      for (let index = unique.length - 1; index > 0; index--) {
        const other = Math.floor(clock.random() * (index + 1));
        [unique[index], unique[other]] = [unique[other] as string, unique[index] as string];
      }
      list = unique;
      cursor = 0;
    },
    nodes: () => list,
    pick() {
      if (list.length === 0) return undefined;
      const now = clock.now();
      let fallback: string | undefined;
      let fallbackUntil = Infinity;
      for (let step = 0; step < list.length; step++) {
        const url = list[(cursor + step) % list.length] as string;
        const until = parkedUntil.get(url) ?? 0;
        if (until <= now) {
          cursor = (cursor + step + 1) % list.length;
          return url;
        }
        if (until < fallbackUntil) {
          fallback = url;
          fallbackUntil = until;
        }
      }
      // Every node is parked: the one that comes back first is the best bet.
      return fallback;
    },
    park(url) {
      parkedUntil.set(url.replace(/\/+$/, ''), clock.now() + parkMs);
    },
  };
}
