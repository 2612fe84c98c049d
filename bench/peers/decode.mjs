// The stand-ins' side of each vendor's wire format: what one request body holds, as a list of
// event names, and what the real endpoint answers. Only what a receiver must do to count events
// (gunzip, base64, form and JSON parsing); nothing here validates like the real service would.
import { gunzipSync } from 'node:zlib';
import { snowplowSchema } from './sdks.mjs';

const json = (status, value) => ({ status, type: 'application/json', body: JSON.stringify(value) });
const SCHEMA_PREFIX = snowplowSchema('').split('/')[0];

/** PostHog's remote config for a project without flags, surveys, recordings or autocapture. */
export const POSTHOG_CONFIG = {
  token: 'phc_bench_token', supportedCompression: ['gzip-js', 'gzip'], hasFeatureFlags: false, captureDeadClicks: false, capturePerformance: false,
  autocapture_opt_out: true, autocaptureExceptions: false, analytics: { endpoint: '/i/v0/e/' }, elementsChainAsString: true, sessionRecording: false,
  heatmaps: false, surveys: false, productTours: false, defaultIdentifiedOnly: true, siteApps: [],
};

function bodyText(body, query) {
  const gzipped = body.length > 2 && body[0] === 0x1f && body[1] === 0x8b;
  return (gzipped || query.get('compression') === 'gzip-js' || query.get('compression') === 'gzip' ? gunzipSync(body) : body).toString('utf8');
}

/** A JSON document that may come as `data=<json or base64 json>` in a form, as Mixpanel and older PostHog send. */
function parseLoose(text) {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return JSON.parse(trimmed);
  const data = new URLSearchParams(text).get('data') ?? text;
  const inner = data.trimStart();
  return JSON.parse(inner.startsWith('{') || inner.startsWith('[') ? inner : Buffer.from(data, 'base64').toString('utf8'));
}

const asList = (value) => (Array.isArray(value) ? value : Array.isArray(value?.batch) ? value.batch : [value]);

function segment(method, path, body) {
  if (method !== 'POST' || !path.startsWith('/v1/')) return undefined;
  const list = asList(JSON.parse(body.toString('utf8')));
  return { events: list.map((event) => (event.type === 'track' ? event.event : `(${event.type})`)), reply: json(200, { success: true }) };
}

function posthog(method, path, body, query) {
  if (method === 'GET' && /^\/array\/[^/]+\/config\.js$/.test(path)) {
    const text = `(function(){window._POSTHOG_REMOTE_CONFIG=window._POSTHOG_REMOTE_CONFIG||{};window._POSTHOG_REMOTE_CONFIG[${JSON.stringify(POSTHOG_CONFIG.token)}]={config:${JSON.stringify(POSTHOG_CONFIG)},siteApps:[]};})();`;
    return { events: [], reply: { status: 200, type: 'text/javascript', body: text } };
  }
  if (method === 'GET' && /^\/array\/[^/]+\/config$/.test(path)) return { events: [], reply: json(200, POSTHOG_CONFIG) };
  if (path.startsWith('/flags') || path.startsWith('/decide')) {
    return { events: [], reply: json(200, { flags: {}, featureFlags: {}, featureFlagPayloads: {}, errorsWhileComputingFlags: false, requestId: 'bench' }) };
  }
  if (method !== 'POST' || !/^\/(i\/v0\/e|e|batch|capture|track|engage)\/?$/.test(path)) return undefined;
  const list = asList(parseLoose(bodyText(body, query)));
  return { events: list.map((event) => event.event), reply: json(200, { status: 1 }) };
}

function amplitude(method, path, body) {
  if (method !== 'POST' || path !== '/2/httpapi') return undefined;
  const { events = [] } = JSON.parse(body.toString('utf8'));
  return {
    events: events.map((event) => event.event_type),
    reply: json(200, { code: 200, events_ingested: events.length, payload_size_bytes: body.length, server_upload_time: Date.now() }),
  };
}

function mixpanel(method, path, body, query) {
  const kind = /^\/(track|engage|groups)\/?$/.exec(path)?.[1];
  if (kind === undefined) return undefined;
  const text = method === 'GET' ? (query.get('data') ?? '') : bodyText(body, query);
  const list = asList(parseLoose(method === 'GET' ? `data=${encodeURIComponent(text)}` : text));
  const reply = query.get('verbose') === '1' ? json(200, { status: 1, error: null }) : { status: 200, type: 'text/plain', body: '1' };
  return { events: list.map((event) => (kind === 'track' ? event.event : `(${kind})`)), reply };
}

function snowplowName(payload) {
  if (payload.e !== 'ue') return `(${payload.e})`;
  const envelope = JSON.parse(payload.ue_pr ?? Buffer.from(payload.ue_px ?? '', 'base64url').toString('utf8'));
  const schema = envelope.data?.schema ?? '';
  return schema.startsWith(SCHEMA_PREFIX) ? schema.split('/')[1] : `(${schema})`;
}

function snowplow(method, path, body, query) {
  if (method === 'POST' && path === '/com.snowplowanalytics.snowplow/tp2') {
    const { data = [] } = JSON.parse(body.toString('utf8'));
    return { events: data.map(snowplowName), reply: { status: 200, type: 'text/plain', body: 'ok' } };
  }
  if (method === 'GET' && path === '/i') return { events: [snowplowName(Object.fromEntries(query))], reply: { status: 200, type: 'image/gif', body: '' } };
  return undefined;
}

/**
 * The stand-in of each peer: `(method, path, body, query) → { events, reply } | undefined`
 * (undefined: not an endpoint of that SDK, answered 404 and counted as unknown).
 */
export const DECODERS = { segment, posthog, amplitude, mixpanel, snowplow };
