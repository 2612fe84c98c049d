/**
 * Banners: one per concern (`bridge`, `sink`, `faults`, ...), shown while the concern holds and
 * removed when it clears, so something wrong is always on screen and never a silent blank.
 */
const box = () => document.getElementById('banners');

/**
 * Shows (or, with `html` undefined, removes) the banner named `id`.
 * @example setBanner('bridge', 'error', 'The bridge does not answer.'); setBanner('bridge');
 */
export function setBanner(id, level, html) {
  let element = box().querySelector(`[data-id="${id}"]`);
  if (html === undefined) return void element?.remove();
  if (!element) {
    element = document.createElement('div');
    element.dataset.id = id;
    box().append(element);
  }
  element.className = `banner ${level}`;
  if (element.innerHTML !== html) element.innerHTML = html;
}

/** Text safe to put into a banner's HTML. */
export const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]);

/** `1536` → `1.5 KB`. */
export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
