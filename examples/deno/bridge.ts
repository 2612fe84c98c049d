/**
 * The inlong-js bridge under `Deno.serve`: pages post to it, it forwards to DataProxy.
 *
 *   deno run --allow-net --allow-env bridge.ts
 *
 * Settings from the environment: INLONG_DATAPROXY_URLS (comma-separated DataProxy HTTP nodes),
 * INLONG_STREAMS (allowed `group/stream` pairs, comma-separated), INLONG_ALLOW_ORIGINS, PORT.
 */
import { createBridge } from 'inlong-js/bridge';

const list = (name: string, fallback: string): string[] => (Deno.env.get(name) ?? fallback).split(',').map((item) => item.trim()).filter(Boolean);

const bridge = createBridge({
  dataproxy: list('INLONG_DATAPROXY_URLS', 'http://127.0.0.1:46802'),
  streams: list('INLONG_STREAMS', 'web_group/web_events'),
  allowOrigins: list('INLONG_ALLOW_ORIGINS', 'http://localhost:5173'),
  log: (line) => console.error(line),
});

const server = Deno.serve(
  {
    hostname: '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? '8787'),
    onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`),
  },
  // The socket's address is the client address (for `#ip` and the rate limit).
  (request, info) => bridge.fetch(request, undefined, { remoteAddress: info.remoteAddr.hostname }),
);

// Ctrl-C / SIGTERM: stop taking requests, let the ones in flight finish, then stop the bridge.
const stop = async (): Promise<void> => {
  Deno.removeSignalListener('SIGINT', stop);
  Deno.removeSignalListener('SIGTERM', stop);
  await server.shutdown();
  await bridge.close();
};
Deno.addSignalListener('SIGINT', stop);
Deno.addSignalListener('SIGTERM', stop);
await server.finished;
