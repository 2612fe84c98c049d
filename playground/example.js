/**
 * The example pages' "what happened" panel: shows the page's own example code, whether the SDK
 * loaded, and the records of this page load (its `run` id) as the sink received them.
 */
import { parseRecord, renderRecord } from './records.js';
import { escapeHtml, setBanner } from './status.js';

const $ = (id) => document.getElementById(id);
const { stream, expected } = document.body.dataset;

// The example code shown is the page's own: the scripts marked `data-example`, as they are.
$('source').textContent = [...document.querySelectorAll('script[data-example]')].map(showScript).join('\n');
if ($('queued')) $('queued').textContent = String(window.queuedBeforeLoad ?? '?');

// Records of this server run only (a long-lived sink file holds earlier ones too).
const info = await fetch('/playground/info', { cache: 'no-store' })
  .then((response) => response.json())
  .catch((error) => {
    setBanner('info', 'error', `<b>The playground server does not answer</b> (${escapeHtml(error.message)}). Is <code>npm start</code> still running?`);
    return { startSeq: 0 };
  });
let after = info.startSeq;
let arrived = 0;

function showScript(script) {
  const attributes = [...script.attributes].filter((attribute) => attribute.name !== 'data-example' && attribute.name !== 'id');
  const open = `<script${attributes.map((attribute) => (attribute.value === '' ? ` ${attribute.name}` : ` ${attribute.name}="${attribute.value}"`)).join('')}>`;
  const body = script.textContent ?? '';
  if (body.trim() === '') return `${open}</script>`;
  // The loader snippet is one long line: its start is enough to recognise it.
  if (script.id === 'snippet') return `${open}${body.slice(0, 48)}…</script>  <!-- the loader snippet -->`;
  const lines = body.replace(/^\n+|\s+$/g, '').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => /^ */.exec(line)[0].length));
  return `${open}\n${lines.map((line) => `  ${line.slice(indent)}`).join('\n')}\n</script>`;
}

const poll = async () => {
  try {
    if ($('loaded') && typeof window.InLong?.instance === 'function') $('loaded').textContent = 'yes, and the queue was replayed';
    const page = await fetch(`/inlong/records?after=${after}&limit=1000`, { cache: 'no-store' }).then((response) => response.json());
    after = Math.max(after, page.next);
    for (const stored of page.records) {
      const record = parseRecord(stored.record);
      const run = record?.properties?.run;
      if (stored.streamId !== stream || run !== window.RUN) continue;
      arrived++;
      $('records').querySelector('.empty')?.remove();
      const item = renderRecord(stored, record);
      item.open = arrived === 1;
      $('records').prepend(item);
    }
    $('arrived-count').textContent = String(arrived);
    if (arrived >= Number(expected)) document.body.dataset.done = 'true';
    setBanner('bridge');
  } catch (error) {
    setBanner('bridge', 'error', `<b>Cannot read the sink</b>: ${escapeHtml(error.message)}. Is <code>npm start</code> still running?`);
  }
  if (!document.body.dataset.done) setTimeout(poll, 300);
};
void poll();
