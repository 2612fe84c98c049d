/**
 * The client's side of the screen, all from the facade's own `stats()` and `subscribe()`:
 * the flow counters, the delivery log and the chart. Nothing here is simulated.
 */
import { createChart } from './chart.js';
import { escapeHtml, formatBytes, setBanner } from './status.js';

const $ = (id) => document.getElementById(id);
const LOG_LINES = 40;

/**
 * @example createPipelineView(client, { received: () => view.received() });
 */
export function createPipelineView(client, { received }) {
  const chart = createChart($('chart'), { stepMs: 500, windowMs: 30_000 });
  let last = client.stats();
  let lastRetry = { at: 0, text: '' };

  const render = () => {
    const stats = client.stats();
    const outbox = stats.queued + stats.buffered;
    text('stat-tracked', stats.tracked);
    text('stat-outbox', outbox);
    $('stat-outbox').parentElement.classList.toggle('busy', outbox > 0);
    text('stat-outbox-bytes', stats.queuedBytes > 0 ? formatBytes(stats.queuedBytes) : '');
    text('stat-inflight', stats.inFlight);
    text('stat-acked', stats.acked);
    text('stat-sink', received());
    text('stat-retried', stats.retried, stats.retried > 0 ? 'warn' : '');
    text('stat-failed', stats.failed, stats.failed > 0 ? 'bad' : '');
    text('stat-dropped', stats.dropped, stats.dropped > 0 ? 'bad' : '');
    text('stat-bytes', `${formatBytes(stats.bytesRaw)} → ${formatBytes(stats.bytesSent)}`);
    const saved = stats.bytesRaw > 0 ? Math.round((1 - stats.bytesSent / stats.bytesRaw) * 100) : 0;
    text('stat-gzip', saved > 0 ? `sent, gzip −${saved}%` : 'sent');
    text('stat-storage', stats.storage);
    text('stat-online', stats.online ? 'online' : 'offline', stats.online ? '' : 'bad');

    setBanner('failed', 'error', stats.failed > 0
      ? `<b>${stats.failed} records failed for good</b>: the bridge refused them as caller errors (never retried). The delivery log says why.`
      : undefined);
    setBanner('dropped', 'error', stats.dropped > 0
      ? `<b>${stats.dropped} records were dropped</b>: the outbox reached its byte bound (maxBytes) and the oldest packs made room.`
      : undefined);
    const retrying = outbox > 0 && Date.now() - lastRetry.at < 6000;
    setBanner('retrying', 'warn', retrying
      ? `<b>Delivery is retrying</b> (${escapeHtml(lastRetry.text)}). ${outbox} records wait in the outbox (${escapeHtml(stats.storage)}); nothing is lost, they go out when the bridge accepts them.`
      : undefined);
    return stats;
  };

  const sample = () => {
    const stats = render();
    chart.push({
      rate: Math.max(0, stats.acked - last.acked) * 2, // a sample every 500 ms: per second
      queue: stats.queued + stats.buffered,
      retried: stats.retried > last.retried,
    });
    last = stats;
  };

  let acks = { records: 0, requests: 0, item: undefined };
  client.subscribe((event) => {
    if (event.type === 'retry') lastRetry = { at: Date.now(), text: reason(event.verdict) };
    // Requests come and go many times a second: one line per run of acknowledgements keeps the
    // log readable and leaves room for what matters (retries, failures, drops).
    if (event.type === 'send') return;
    if (event.type === 'ack') {
      const top = $('activity').firstElementChild;
      if (acks.item !== top || !top) acks = { records: 0, requests: 0, item: undefined };
      acks.records += event.pack.records.length;
      acks.requests++;
      const text = `✓ acknowledged ${acks.records} records${acks.requests > 1 ? ` in ${acks.requests} requests` : ''}`;
      if (acks.item) acks.item.lastElementChild.textContent = text;
      else acks.item = log('ack', text);
      return;
    }
    const line = describe(event);
    if (line) log(line[0], line[1]);
  });
  setInterval(render, 200);
  setInterval(sample, 500);
  window.addEventListener('resize', () => chart.draw());
  render();
}

/** `code 1: sink not ready`, `http:503: ...`, `network: ...`: what the retry policy saw. */
function reason(verdict) {
  const head = /^\d+$/.test(verdict.reason) ? `code ${verdict.reason}` : verdict.reason;
  return verdict.message ? `${head}: ${verdict.message}` : head;
}

/** One delivery-log line for a facade event: `[class, text]`. */
function describe(event) {
  const count = (pack) => pack.records.length;
  switch (event.type) {
    case 'retry': return ['retry', `↻ retry ${count(event.pack)} records in ${(event.delayMs / 1000).toFixed(1)} s: ${reason(event.verdict)}`];
    case 'split': return ['retry', `⇔ pack of ${count(event.pack)} too large: split in two`];
    case 'fail': return ['fail', `✗ ${count(event.pack)} records failed: ${event.error?.message ?? event.error}`];
    case 'error': return ['error', `✗ outbox: ${event.error?.message ?? event.error}`];
    case 'drop': return ['fail', `✗ dropped ${event.drop.records} records (${event.drop.reason})`];
    case 'beacon': return ['send', `→ beacon ${event.records} records, ${formatBytes(event.bytes)}`];
    default: return undefined;
  }
}

/**
 * Adds a line to the top of the delivery log; returns it.
 * @example log('error', 'properties: not JSON');
 */
export function log(kind, message) {
  const list = $('activity');
  list.querySelector('.muted')?.remove();
  const item = document.createElement('li');
  item.className = kind;
  const time = document.createElement('time');
  time.textContent = new Date().toTimeString().slice(0, 8);
  const body = document.createElement('span');
  body.textContent = message;
  item.title = message;
  item.append(time, body);
  list.prepend(item);
  while (list.children.length > LOG_LINES) list.lastElementChild.remove();
  return item;
}

function text(id, value, className) {
  const element = $(id);
  const content = String(value);
  if (element.textContent !== content) element.textContent = content;
  if (className !== undefined) element.className = className;
}
