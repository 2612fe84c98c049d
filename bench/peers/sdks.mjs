// The SDKs under test: how each is loaded into the page, how it is configured, and how the page
// calls it. Every SDK gets the same page, the same events through its own `track` call, and its
// own endpoint on the harness's origin (bench/peers/stand-ins.mjs). The configuration turns off
// everything that would make an SDK do work the others do not (automatic page views,
// autocapture, session recording, surveys, heatmaps, remote configuration from the vendor's
// servers); batching, storage, retries and compression stay at each SDK's own defaults.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from '../track/config.mjs';

const modules = (path) => join(ROOT, 'node_modules', path);
const versionOf = (name) => JSON.parse(readFileSync(modules(`${name}/package.json`), 'utf8')).version;

/** Event names of the mix (bench/track/mix.mjs) as the page tracks them; stand-ins count these. */
export const OUR_EVENTS = new Set(['view_item', 'add_to_cart', 'begin_checkout', 'purchase', 'user_set', 'user_add']);
/** Snowplow has no free-form event name: each name is a self-describing event with this schema. */
export const snowplowSchema = (name) => `iglu:com.example.bench/${name}/jsonschema/1-0-0`;

/** Segment's shipped standalone bundle fetches its settings and plugins from cdn.segment.com, so the npm ESM build is bundled here as a user's bundler would. */
async function bundleSegment() {
  const result = await build({
    stdin: { contents: "export { AnalyticsBrowser } from '@segment/analytics-next';", resolveDir: ROOT, loader: 'js' },
    bundle: true, minify: true, format: 'iife', globalName: 'SegmentBench', platform: 'browser', target: 'es2020', write: false, logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0].contents;
}

/**
 * Page code for an SDK whose init takes a `loaded(instance)` callback (PostHog, Mixpanel): ready
 * when it fires, then `track` calls `instance[method]`. `options` is the init options' source
 * without its closing brace; `loaded` is added at its end.
 */
const whenLoaded = (init, token, options, method) => `window.__bench = {};
window.__bench.ready = new Promise(function (resolve) {
  ${init}('${token}', ${options}loaded: function (sdk) { window.__bench.track = function (name, properties) { sdk.${method}(name, properties); }; resolve(); } });
});`;

// Each `init` is page code (a string, run after the SDK's scripts) that sets
// `window.__bench = { ready, track }`; ORIGIN and HOST are the harness server's.
export const SDKS = [
  {
    id: 'none',
    label: 'no SDK (idle baseline)',
    baseline: true,
    loaded: 'nothing: the same page and driver, `track` does nothing',
    config: '',
    init: `window.__bench = { ready: Promise.resolve(), track: function () {} };`,
  },
  {
    id: 'inlong',
    label: 'inlong-js',
    version: () => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    loaded: '`dist/inlong.global.js`, the shipped `<script>` build (global `InLong`)',
    endpoint: 'the real bridge (`createBridge` from `dist/bridge.js`, embedded in-memory sink) at `/dataproxy/message`',
    config: "`InLong.init({ serverUrl: ORIGIN, groupId: 'bench_group', streamId: 'bench_stream' })` (no automatic events exist to turn off)",
    files: { '/lib/inlong.global.js': () => readFileSync(join(ROOT, 'dist/inlong.global.js')) },
    scripts: ['/lib/inlong.global.js'],
    init: `InLong.init({ serverUrl: ORIGIN, groupId: 'bench_group', streamId: 'bench_stream' });
window.__bench = { ready: Promise.resolve(), track: function (name, properties) { InLong.track(name, properties); } };`,
  },
  {
    id: 'segment',
    label: '@segment/analytics-next',
    version: () => versionOf('@segment/analytics-next'),
    loaded: 'npm ESM (`AnalyticsBrowser`) bundled by esbuild (IIFE, minified): the shipped standalone bundle loads its settings and plugins from cdn.segment.com',
    endpoint: '`/v1/t` (one request per event: the default "standard" delivery), `/v1/batch`',
    config: "`AnalyticsBrowser.load({ writeKey, cdnSettings: { integrations: { 'Segment.io': { apiKey, apiHost: HOST + '/v1', protocol: 'http' } } } })`: settings inline, so no CDN fetch; no `page()` call (the npm build sends no initial page view)",
    files: { '/lib/segment.js': bundleSegment },
    scripts: ['/lib/segment.js'],
    init: `window.__bench = {};
window.__bench.ready = SegmentBench.AnalyticsBrowser.load({ writeKey: 'bench_write_key', cdnSettings: { integrations: { 'Segment.io': { apiKey: 'bench_write_key', apiHost: HOST + '/v1', protocol: 'http' } } } })
  .then(function (loaded) { var analytics = loaded[0]; window.__bench.track = function (name, properties) { analytics.track(name, properties); }; });`,
  },
  {
    id: 'posthog',
    label: 'posthog-js',
    version: () => versionOf('posthog-js'),
    loaded: '`dist/array.js`, the bundle the PostHog snippet loads (global `posthog`)',
    endpoint: "`/array/<token>/config.js` (remote config, answered as PostHog Cloud does for a project without flags: `supportedCompression: ['gzip-js', 'gzip']`, `hasFeatureFlags: false`), `/i/v0/e/`, `/e/`, `/batch/`, `/flags/`",
    config: '`posthog.init(token, { api_host: ORIGIN, autocapture: false, capture_pageview: false, capture_pageleave: false, disable_session_recording: true, disable_surveys: true, disable_conversations: true, disable_product_tours: true, enable_heatmaps: false, capture_heatmaps: false, capture_dead_clicks: false, rageclick: false, capture_performance: false, capture_exceptions: false, opt_out_useragent_filter: true, rate_limiting: { events_per_second: 10000, events_burst_limit: 100000 } })`: the last two because PostHog drops events from a browser that says it is automated (`navigator.webdriver`, as under Playwright) and, by default, events beyond 10 per second after a burst of 100 (its token bucket still runs on every call)',
    files: { '/lib/posthog.js': () => readFileSync(modules('posthog-js/dist/array.js')) },
    scripts: ['/lib/posthog.js'],
    init: whenLoaded('posthog.init', 'phc_bench_token', `{ api_host: ORIGIN, autocapture: false, capture_pageview: false, capture_pageleave: false, disable_session_recording: true,
    disable_surveys: true, disable_conversations: true, disable_product_tours: true, enable_heatmaps: false, capture_heatmaps: false, capture_dead_clicks: false,
    rageclick: false, capture_performance: false, capture_exceptions: false, opt_out_useragent_filter: true,
    rate_limiting: { events_per_second: 10000, events_burst_limit: 100000 }, `, 'capture'),
  },
  {
    id: 'amplitude',
    label: '@amplitude/analytics-browser',
    version: () => versionOf('@amplitude/analytics-browser'),
    loaded: '`lib/scripts/amplitude-min.js`, the bundle the Amplitude snippet loads (global `amplitude`)',
    endpoint: '`/2/httpapi` (`serverUrl`)',
    config: "`amplitude.init(apiKey, { serverUrl: ORIGIN + '/2/httpapi', autocapture: false, fetchRemoteConfig: false })`: `autocapture: false` turns off page views, sessions, attribution, form and file tracking, element interactions; remote config would come from Amplitude's servers",
    files: { '/lib/amplitude.js': () => readFileSync(modules('@amplitude/analytics-browser/lib/scripts/amplitude-min.js')) },
    scripts: ['/lib/amplitude.js'],
    init: `window.__bench = { ready: amplitude.init('bench_api_key', { serverUrl: ORIGIN + '/2/httpapi', autocapture: false, fetchRemoteConfig: false }).promise,
  track: function (name, properties) { amplitude.track(name, properties); } };`,
  },
  {
    id: 'mixpanel',
    label: 'mixpanel-browser',
    version: () => versionOf('mixpanel-browser'),
    loaded: "Mixpanel's own snippet (`dist/mixpanel-jslib-snippet.min.js`) with `MIXPANEL_CUSTOM_LIB_URL` pointing at `dist/mixpanel.min.js`, as a page installs it",
    endpoint: '`/track/` (`api_host`), `/engage/`, `/groups/`',
    config: '`mixpanel.init(token, { api_host: ORIGIN, autocapture: false, track_pageview: false, record_sessions_percent: 0 })` (all three are already its defaults)',
    files: {
      '/lib/mixpanel.min.js': () => readFileSync(modules('mixpanel-browser/dist/mixpanel.min.js')),
      '/lib/mixpanel-snippet.js': () => `var MIXPANEL_CUSTOM_LIB_URL = '/lib/mixpanel.min.js';\n${readFileSync(modules('mixpanel-browser/dist/mixpanel-jslib-snippet.min.js'), 'utf8')}`,
    },
    scripts: ['/lib/mixpanel-snippet.js'],
    init: whenLoaded('mixpanel.init', 'bench_token', '{ api_host: ORIGIN, autocapture: false, track_pageview: false, record_sessions_percent: 0, ', 'track'),
  },
  {
    id: 'snowplow',
    label: '@snowplow/browser-tracker',
    version: () => versionOf('@snowplow/browser-tracker'),
    loaded: '`dist/index.umd.min.js`, the package\'s minified browser bundle (global `snowplowBrowserTracking`)',
    endpoint: '`/com.snowplowanalytics.snowplow/tp2` (the collector)',
    config: "`newTracker('sp', ORIGIN, { appId: 'bench' })`, every event `trackSelfDescribingEvent({ event: { schema: 'iglu:com.example.bench/<name>/jsonschema/1-0-0', data: properties } })` (Snowplow has no free-form event name); no `trackPageView`, activity tracking off (its default)",
    files: { '/lib/snowplow.js': () => readFileSync(modules('@snowplow/browser-tracker/dist/index.umd.min.js')) },
    scripts: ['/lib/snowplow.js'],
    init: `snowplowBrowserTracking.newTracker('sp', ORIGIN, { appId: 'bench' });
var schemas = {};
window.__bench = { ready: Promise.resolve(), track: function (name, properties) {
  snowplowBrowserTracking.trackSelfDescribingEvent({ event: { schema: schemas[name] || (schemas[name] = ${JSON.stringify(snowplowSchema('NAME'))}.replace('NAME', name)), data: properties } });
} };`,
  },
];

/** Every file the pages load, built or read once per run: `{ path: Buffer | string }`. */
export async function loadFiles(sdks) {
  const files = {};
  for (const sdk of sdks) {
    for (const [path, make] of Object.entries(sdk.files ?? {})) files[path] = await make();
  }
  return files;
}
