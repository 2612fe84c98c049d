/**
 * Events from a Deno program straight into Apache InLong DataProxy.
 *
 *   deno run --allow-net --allow-env --allow-read --allow-write main.ts
 *
 * Settings come from the environment: INLONG_DATAPROXY_URLS (comma-separated DataProxy HTTP
 * nodes), INLONG_GROUP_ID, INLONG_STREAM_ID, and INLONG_LOG_DIR to also write LogBus files.
 */
import { BatchConsumer, InLongApi, LoggingConsumer, SdkCode, TDAnalytics } from 'inlong-js/deno';

const dataproxyUrls = (Deno.env.get('INLONG_DATAPROXY_URLS') ?? 'http://127.0.0.1:46802').split(',');
const groupId = Deno.env.get('INLONG_GROUP_ID') ?? 'test_group';
const streamId = Deno.env.get('INLONG_STREAM_ID') ?? 'test_stream';
const users = Number(Deno.env.get('DEMO_USERS') ?? '3');

// ThinkingData server style, batched (50 records or 1 s) to DataProxy.
const td = new TDAnalytics(new BatchConsumer({ dataproxyUrls, groupId, streamId, batchSize: 50, interval: 1 }), {
  onError: (error) => console.error('inlong:', error.message),
});
td.setSuperProperties({ app: 'deno-example', deno: Deno.version.deno });
for (let index = 0; index < users; index++) {
  const distinctId = `user-${index}`;
  td.track({ distinctId, event: 'signup', properties: { plan: index % 2 === 0 ? 'free' : 'pro' } });
  td.userSet({ distinctId, properties: { name: `User ${index}` } });
}

// The InLong DataProxy SDK twin (C++/Python API): raw lines, a result code per send.
const api = new InLongApi();
await api.initApi({ dataproxyUrls, pack_timeout: 200 });
let failed = 0;
const code = api.send(groupId, `${streamId}_raw`, `hello|from|deno|${users}`, (_group, _stream, msg, _length, _time, _ip, error) => {
  failed += 1;
  console.error(`inlong: "${msg}" was not delivered: ${error.message}`);
});
if (code !== SdkCode.kSuccess) console.error(`inlong: send refused with code ${code}`);

// Files for LogBus, one per hour, split at 16 MB.
const logDir = Deno.env.get('INLONG_LOG_DIR');
if (logDir) {
  const files = new TDAnalytics(new LoggingConsumer({ directory: logDir, prefix: 'deno', rotateHourly: true, fileSize: 16 }));
  files.track({ distinctId: 'user-0', event: 'logged', properties: { to: 'file' } });
  await files.close();
}

// Flush and wait for DataProxy's acknowledgements before the program exits.
await Promise.all([td.close(), api.closeApi(5000)]);
console.log(`flushed ${users * 2 + 1} records to ${dataproxyUrls.join(', ')} (${failed} raw lines failed)`);
