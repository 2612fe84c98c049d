/**
 * The sink's side of the screen: polls `GET /inlong/records?after=<seq>` and shows each record
 * as the sink stored it, newest first, pretty-printed. The list keeps the newest `keep` in the
 * DOM (a long session must not slow the page); the counts cover everything received.
 */
const PAGE = 500;

/**
 * @example
 * const view = createRecordsView({ list, count, summary, after: info.startSeq, onError });
 * view.start();
 */
export function createRecordsView({ list, count, summary, after, keep = 60, intervalMs = 500, onError, onOk }) {
  let next = after;
  let total = 0;
  const byType = new Map();
  let autoOpened;

  const poll = async () => {
    try {
      for (;;) {
        const response = await fetch(`/inlong/records?after=${next}&limit=${PAGE}`, { cache: 'no-store' });
        if (!response.ok) throw new Error(`GET /inlong/records answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
        const page = await response.json();
        if (page.records.length > 0) add(page.records);
        next = Math.max(next, page.next);
        // A full page means more are waiting: read on before sleeping.
        if (page.records.length < PAGE) break;
      }
      onOk?.();
    } catch (error) {
      onError?.(error);
    }
    setTimeout(poll, intervalMs);
  };

  const add = (records) => {
    list.querySelector('.empty')?.remove();
    const fragment = document.createDocumentFragment();
    for (const stored of records) {
      total++;
      const record = parseRecord(stored.record);
      const type = record?.['#type'] ?? 'raw';
      byType.set(type, (byType.get(type) ?? 0) + 1);
      fragment.prepend(renderRecord(stored, record));
    }
    // The newest record opens and the one opened before it closes; what the user opened stays open.
    if (autoOpened) autoOpened.open = false;
    autoOpened = fragment.firstElementChild;
    autoOpened.open = true;
    list.prepend(fragment);
    while (list.children.length > keep) list.lastElementChild.remove();
    count.textContent = String(total);
    summary.textContent = [...byType].map(([type, n]) => `${n} ${type}`).join(' · ');
  };

  return { start: () => void poll(), received: () => total };
}

export function parseRecord(text) {
  try {
    return JSON.parse(text);
  } catch {
    // A raw `send()` message (CSV, plain text) is a record too; it is shown as it came.
    return undefined;
  }
}

export function renderRecord(stored, record) {
  const item = document.createElement('details');
  item.className = 'record fresh';
  item.dataset.seq = String(stored.seq);
  item.dataset.type = record?.['#type'] ?? 'raw';
  if (record?.['#event_name']) item.dataset.event = record['#event_name'];
  const summary = document.createElement('summary');
  // The event's own properties come last in a record (after super properties): show them first.
  const own = record?.properties ? Object.entries(record.properties).filter(([key]) => !key.startsWith('#')).reverse() : undefined;
  const who = record?.['#account_id'] ?? record?.['#distinct_id']?.slice(0, 8);
  summary.append(
    span('seq', `#${stored.seq}`),
    span('type', item.dataset.type),
    span('event', record?.['#event_name'] ?? ''),
    span('seq', who ? `by ${who}` : ''),
    span('props', own ? own.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ') : stored.record.slice(0, 120)),
  );
  const pre = document.createElement('pre');
  pre.innerHTML = record ? highlight(JSON.stringify(record, null, 2)) : escape(stored.record);
  item.append(summary, pre);
  return item;
}

function span(className, text) {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

const escape = (text) => text.replace(/[&<>]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[char]);

/** JSON syntax colours with one regex over already-escaped text. */
function highlight(json) {
  return escape(json).replace(/("(?:\\.|[^"\\])*")(\s*:)?|\b(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\b|\b(true|false|null)\b/g, (match, string, colon, number, literal) => {
    if (string) return colon ? `<span class="j-key">${string}</span>${colon}` : `<span class="j-str">${string}</span>`;
    if (number) return `<span class="j-num">${number}</span>`;
    return `<span class="j-lit">${literal}</span>`;
  });
}
