/**
 * InLongApi from the built `inlong-js/deno` over DataProxy TCP, in Deno: the stand-in runs in
 * the Node test process (its URLs in INLONG_TCP_URLS). Counts the calls to Deno.connect, so
 * the test sees which socket adapter the runtime chose. Prints one JSON line.
 * Usage: tcp-api.ts <messages>
 */
declare const Deno: {
  args: string[];
  env: { get(name: string): string | undefined };
  connect: (options: unknown) => Promise<unknown>;
};
export {};

const specifier: string = 'inlong-js/deno';
const { InLongApi } = (await import(specifier)) as typeof import('../../../src/runtimes/deno.js');

const original = Deno.connect;
let connects = 0;
Deno.connect = (options) => {
  connects++;
  return original(options);
};

const count = Number(Deno.args[0] ?? '200');
const failures: string[] = [];
const api = new InLongApi();
await api.initApi({
  'init-param': {
    dataproxyUrls: (Deno.env.get('INLONG_TCP_URLS') ?? '').split(','),
    enable_zip: true,
    min_zip_len: 128,
    msg_type: 7,
    heart_beat_interval: 1000,
    tcp_idle_time: 600_000,
    pack_timeout: 10,
    retry_times: 30,
    requestTimeoutMs: 400,
    retryBaseMs: 10,
    retryMaxMs: 50,
    nodeParkMs: 200,
  },
});
for (let index = 0; index < count; index++) {
  const msg = index % 4 === 0 ? `deno ${index}\nline two é€😀` : `{"deno":${index},"text":"é€😀 a&b=c","pad":"${'x'.repeat(index % 200)}"}`;
  const code = api.send('g', `s${index % 3}`, msg, (_g: string, _s: string, failed: string) => failures.push(failed));
  if (code !== 0) failures.push(`send ${index} answered ${code}`);
}
await api.flush();
await api.closeApi(1000);
console.log(JSON.stringify({ failures, stats: api.stats(), connects }));
