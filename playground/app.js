/**
 * The playground page: the ESM browser entry, straight from the build (`/dist/browser.js`), on
 * the bridge this server runs (same origin). Wires the forms to the client and starts the views.
 */
import { InLong } from '/dist/browser.js';
import { watchHealth, wireFaults } from './health.js';
import { createPipelineView, log } from './pipeline.js';
import { createRecordsView } from './records.js';
import { escapeHtml, setBanner } from './status.js';

const $ = (id) => document.getElementById(id);
document.body.dataset.started = 'true';

const info = await readInfo();
$('sink-file').textContent = info.sink;
$('sink-file').parentElement.title = `the bridge's embedded sink appends each record to ${info.sink}`;

const client = InLong.init({
  serverUrl: location.origin,
  groupId: 'playground',
  streamId: 'web',
  // Livelier than the defaults, so a demo shows batching, retries and recovery within seconds.
  flushIntervalMs: 300,
  retryBaseMs: 500,
  retryMaxMs: 4000,
  requestTimeoutMs: 5000,
  onError: (error) => log('error', `onError: ${error?.message ?? error}`),
});
// Handy in the console: `inlong.track('x', { a: 1 })`, `inlong.stats()`.
window.inlong = client;

const records = createRecordsView({
  list: $('records'),
  count: $('received-count'),
  summary: $('received-summary'),
  after: info.startSeq,
  // No answer at all is the bridge-down banner's news (health.js); an error answer is this one's.
  onError: (error) => setBanner('records', 'error', error instanceof TypeError ? undefined : `<b>Cannot read the sink's records</b>: ${escapeHtml(error.message)}`),
  onOk: () => setBanner('records'),
});
createPipelineView(client, { received: () => records.received() });
watchHealth();
await wireFaults(info.faults);
records.start();

/** The server's `/playground/info`, waiting (with a banner saying so) while the server is down. */
async function readInfo() {
  for (;;) {
    try {
      const response = await fetch('/playground/info', { cache: 'no-store' });
      if (response.ok) return await response.json();
      throw new Error(`answered ${response.status}`);
    } catch (error) {
      setBanner('bridge', 'error', `<b>The playground server does not answer</b> (${escapeHtml(error.message)}). Is <code>npm start</code> still running? Retrying…`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** The JSON in a textarea, or `undefined` (and a red border plus a log line) when it is not JSON. */
function readJson(id) {
  const field = $(id);
  const text = field.value.trim();
  try {
    const value = text === '' ? {} : JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
    field.classList.remove('invalid');
    return value;
  } catch (error) {
    field.classList.add('invalid');
    log('error', `${id}: ${error.message}`);
    return undefined;
  }
}

const track = (times) => {
  const properties = readJson('event-props');
  if (!properties) return;
  for (let n = 0; n < times; n++) client.track($('event-name').value.trim() || 'button_click', properties);
};
$('track-form').addEventListener('submit', (event) => {
  event.preventDefault();
  track(1);
});
$('track-10').addEventListener('click', () => track(10));
$('flush').addEventListener('click', () => {
  const started = performance.now();
  client.flush().then(() => log('ack', `flush() resolved after ${Math.round(performance.now() - started)} ms: everything so far is acknowledged`));
});

$('user-run').addEventListener('click', () => {
  const op = $('user-op').value;
  if (op === 'userDel') return client.userDel();
  const properties = readJson('user-props');
  if (!properties) return;
  // userUnset takes property names, not values.
  if (op === 'userUnset') return client.userUnset(Object.keys(properties));
  client[op](properties);
});
$('super-set').addEventListener('click', () => {
  const properties = readJson('super-props');
  if (properties) client.setSuperProperties(properties);
  showIdentity();
});
$('super-clear').addEventListener('click', () => {
  client.clearSuperProperties();
  showIdentity();
});
$('login').addEventListener('click', () => {
  client.login($('account-id').value.trim() || 'user-42');
  showIdentity();
});
$('logout').addEventListener('click', () => {
  client.logout();
  showIdentity();
});

function showIdentity() {
  const superProperties = client.getSuperProperties();
  $('identity').textContent =
    `distinct id ${client.getDistinctId().slice(0, 13)}… · account ${client.getAccountId() ?? '(none)'}` +
    (Object.keys(superProperties).length ? ` · super ${JSON.stringify(superProperties)}` : '');
}
showIdentity();
document.body.dataset.ready = 'true';
