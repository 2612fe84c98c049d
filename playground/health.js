/**
 * The server's side of the status: is the bridge answering, is its sink accepting, which faults
 * are on. Polls `GET /inlong/stats` (the bridge's counters) and `GET /playground/faults` once a
 * second, and drives the fault switches (`POST /playground/faults`).
 */
import { log } from './pipeline.js';
import { escapeHtml, setBanner } from './status.js';

const $ = (id) => document.getElementById(id);
const SINK_ERROR_MS = 6000;

/**
 * @example watchHealth();
 */
export function watchHealth({ intervalMs = 1000 } = {}) {
  let lastFailed;
  let sinkErrorAt = 0;
  const poll = async () => {
    try {
      const [stats, faults] = await Promise.all([getJson('/inlong/stats'), getJson('/playground/faults')]);
      setBanner('bridge');
      setStatus('up', `bridge up · ${stats.mode}`);
      const rejected = Object.entries(stats.rejected).map(([reason, n]) => `${reason} ${n}`).join(', ');
      $('bridge-stats').textContent =
        `bridge: ${stats.requests} requests · ${stats.forwarded} stored · ${stats.deduped} duplicates dropped · ${stats.failed} refused by the sink` +
        (rejected ? ` · rejected: ${rejected}` : '');
      // The sink refusing records shows as the bridge's `failed` counter going up.
      if (lastFailed !== undefined && stats.failed > lastFailed) sinkErrorAt = Date.now();
      lastFailed = stats.failed;
      setBanner('sink', 'error', Date.now() - sinkErrorAt < SINK_ERROR_MS
        ? `<b>The sink is refusing records</b> (${stats.failed} records so far): the bridge answers a transient code, so the page keeps them and retries.`
        : undefined);
      showFaults(faults);
    } catch (error) {
      setStatus('down', 'bridge down');
      // What the server said before it went away is stale now: only the outage is on screen.
      setBanner('faults');
      setBanner('sink');
      setBanner('bridge', 'error', `<b>The bridge at ${escapeHtml(location.origin)} does not answer</b> (${escapeHtml(error.message)}). Is <code>npm start</code> still running? Events wait in this tab's outbox and go out when it is back.`);
    }
    setTimeout(poll, intervalMs);
  };
  void poll();
}

/**
 * Sets the switches from the server's state and sends every change back.
 * @example await wireFaults(info.faults);
 */
export async function wireFaults(initial) {
  const controls = { offline: $('fault-offline'), reply: $('fault-reply'), rate: $('fault-rate'), slowMs: $('fault-slow'), sinkFull: $('fault-sink') };
  const apply = (state) => {
    controls.offline.checked = state.offline;
    controls.reply.value = state.reply;
    controls.rate.value = String(state.rate);
    controls.slowMs.value = String(state.slowMs);
    controls.sinkFull.checked = state.sinkFull;
    showFaults(state);
  };
  const send = async (patch) => {
    try {
      const response = await fetch('/playground/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
      const state = await response.json();
      if (!response.ok) throw new Error(state.error ?? `answered ${response.status}`);
      apply(state);
      log('note', `fault switches: ${describe(state)}`);
    } catch (error) {
      setBanner('faults-error', 'error', `<b>Could not change the fault switches</b>: ${escapeHtml(error.message)}`);
    }
  };
  // The browser fires `offline`/`online` when the network goes and comes back; the client pauses
  // on the first and sends everything due on the second. The server drops the connections too, so
  // a request already under way fails as it would on a real network.
  const network = (offline) => window.dispatchEvent(new Event(offline ? 'offline' : 'online'));
  controls.offline.addEventListener('change', async () => {
    const offline = controls.offline.checked;
    await send({ offline });
    network(offline);
  });
  controls.reply.addEventListener('change', () => send({ reply: controls.reply.value }));
  controls.rate.addEventListener('change', () => send({ rate: Number(controls.rate.value) }));
  controls.slowMs.addEventListener('change', () => send({ slowMs: Number(controls.slowMs.value) }));
  controls.sinkFull.addEventListener('change', () => send({ sinkFull: controls.sinkFull.checked }));
  $('fault-clear').addEventListener('click', async () => {
    const wasOffline = controls.offline.checked;
    await send({ offline: false, reply: 'off', rate: 1, slowMs: 0, sinkFull: false });
    if (wasOffline) network(false);
  });
  apply(initial);
  // Reloaded while offline: the new client starts online, so tell it.
  if (initial.offline) network(true);
}

function showFaults(state) {
  const on = describe(state);
  setBanner('faults', 'info', on === 'none' ? undefined : `<b>Faults on:</b> ${escapeHtml(on)}. Watch the outbox, the retries and the chart; switch them off (or <i>all clear</i>) to watch recovery.`);
  $('fault-reply').classList.toggle('active', state.reply !== 'off');
  $('fault-slow').classList.toggle('active', state.slowMs > 0);
  const { dropped, replied, delayed, sinkFailed } = state.injected;
  $('fault-injected').textContent = `injected: ${dropped} dropped · ${replied} error replies · ${delayed} delayed · ${sinkFailed} sink failures`;
}

function describe(state) {
  const parts = [];
  if (state.offline) parts.push('offline');
  if (state.reply !== 'off') parts.push(`${$('fault-reply').selectedOptions[0]?.textContent ?? state.reply}${state.rate < 1 ? ' (half of the requests)' : ''}`);
  if (state.slowMs > 0) parts.push(`responses delayed ${state.slowMs / 1000} s`);
  if (state.sinkFull) parts.push('sink full');
  return parts.join(', ') || 'none';
}

function setStatus(kind, text) {
  const pill = $('bridge-status');
  pill.className = `pill ${kind}`;
  pill.textContent = text;
}

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return response.json();
}
