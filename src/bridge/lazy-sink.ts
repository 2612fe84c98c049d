import type { Sink } from './sink.js';

/**
 * A sink whose module loads on the first write, so a bridge that never forwards over TCP never
 * loads the TCP code (nor, on Workers, `cloudflare:sockets`). A failed load rejects that write
 * (the intake answers code 1, retry) and is tried again on the next.
 * @example const sink = createLazySink('dataproxy-tcp', 'DataProxy TCP nodes …', () => import('./tcp-sink.js').then((m) => m.createTcpSink(options, createDataProxySink)));
 */
export function createLazySink(name: string, description: string, load: () => Promise<Sink>): Sink {
  let loading: Promise<Sink> | undefined;
  return {
    name,
    description,
    async write(packs) {
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return (await loading).write(packs);
    },
    // A load that failed left nothing to close: its error reached the write that tried.
    close: async () => void (await loading?.then((sink) => sink.close?.(), () => undefined)),
  };
}
