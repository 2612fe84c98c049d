import type { BrowserGlobals } from './options.js';

// Tried in order: Android also says "Linux", iPhones say "like Mac OS X".
const OS: Array<[string, RegExp]> = [
  ['Windows', /windows/i],
  ['iOS', /iphone|ipad|ipod/i],
  ['Android', /android/i],
  ['Chrome OS', /cros/i],
  ['Mac OS X', /mac os/i],
  ['Linux', /linux/i],
];
// Tried in order: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS: Array<[string, RegExp]> = [
  ['Edge', /edg[a-z]*\/([\d.]+)/i],
  ['Opera', /(?:opr|opera)\/([\d.]+)/i],
  ['Firefox', /(?:firefox|fxios)\/([\d.]+)/i],
  ['Chrome', /(?:chrome|crios|chromium)\/([\d.]+)/i],
  ['Safari', /version\/([\d.]+).*safari/i],
];

/**
 * ThinkingData's browser preset properties, read at each call (single-page apps change the URL
 * and title) from injected globals or the real ones, by feature probes only. OS and browser come
 * from the user agent (a few regular expressions: microseconds per call).
 * @example browserPresets({})['#browser'] // 'Chrome'
 */
export function browserPresets(globals: BrowserGlobals): Record<string, unknown> {
  const loc = globals.location ?? globalThis.location;
  const doc = globals.document ?? globalThis.document;
  const screen = globals.screen ?? globalThis.screen;
  const ua = (globals.navigator ?? globalThis.navigator)?.userAgent ?? '';
  let version: RegExpExecArray | null = null;
  const presets: Record<string, unknown> = {
    '#os': OS.find(([, pattern]) => pattern.test(ua))?.[0],
    '#browser': BROWSERS.find(([, pattern]) => (version = pattern.exec(ua)))?.[0],
    '#browser_version': (version as RegExpExecArray | null)?.[1],
    '#screen_width': screen?.width,
    '#screen_height': screen?.height,
    '#url': loc?.href,
    '#url_path': loc?.pathname,
    '#title': doc?.title,
    '#referrer': doc?.referrer,
    '#zone_offset': -new Date().getTimezoneOffset() / 60,
  };
  for (const name in presets) if (presets[name] === undefined || presets[name] === '') delete presets[name];
  return presets;
}
