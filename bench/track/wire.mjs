// Wire: bytes per event before and after gzip, and how many events one 64 KiB beacon carries.
import { gunzipSync, gzipSync } from 'node:zlib';
import { createClient, createTdClient, produce } from './clients.mjs';
import { splitPacks } from './forms.mjs';
import { makeEvents } from './mix.mjs';
import { median } from './stats.mjs';

const BEACON_BYTES = 64 * 1024;

export async function wire(config) {
  const events = makeEvents(config.wireEvents, 11);
  const inlong = await createClient('inlong-js', { capture: true });
  await produce(inlong, events);
  await inlong.drain();
  await inlong.close();
  const td = createTdClient({ capture: true });
  await produce(td, makeEvents(config.wireEvents, 11));
  await td.drain();
  await td.close();
  return { inlong: inlongWire(inlong.stats), td: tdWire(td.stats), beacon: beaconCapacity(inlong.stats.captured) };
}

function inlongWire({ captured }) {
  const records = captured.reduce((total, request) => total + request.records, 0);
  const packs = captured.flatMap((request) => splitPacks(request.raw));
  const json = packs.reduce((total, pack) => total + pack.recordBytes, 0);
  return {
    records,
    jsonPerEvent: json / records,
    rawPerEvent: captured.reduce((total, request) => total + request.raw.length, 0) / records,
    gzipPerEvent: captured.reduce((total, request) => total + request.wire, 0) / records,
    perRequest: median(captured.map((request) => request.records)),
  };
}

function tdWire({ captured }) {
  const records = captured.reduce((total, request) => total + request.records, 0);
  const raw = captured.reduce((total, request) => total + gunzipSync(request.body).length, 0);
  return {
    records,
    jsonPerEvent: raw / records,
    rawPerEvent: raw / records,
    gzipPerEvent: captured.reduce((total, request) => total + request.body.length, 0) / records,
    perRequest: median(captured.map((request) => request.records)),
  };
}

/**
 * The most whole packs (as inlong-js forms them, 20 records each) whose multi-pack body fits
 * 64 KiB: gzipped at level 6 (CompressionStream's level) and as plain text.
 */
function beaconCapacity(captured) {
  const packs = captured.flatMap((request) => splitPacks(request.raw));
  const fits = (count, gzip) => {
    const body = Buffer.from(packs.slice(0, count).map((pack) => pack.text).join('\n'), 'latin1');
    return (gzip ? gzipSync(body, { level: 6 }).length : body.length) <= BEACON_BYTES;
  };
  const records = (count) => packs.slice(0, count).reduce((total, pack) => total + pack.records, 0);
  const largest = (gzip) => {
    let low = 0;
    let high = packs.length;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (fits(middle, gzip)) low = middle;
      else high = middle - 1;
    }
    return { packs: low, events: records(low), saturated: low === packs.length };
  };
  return { gzip: largest(true), plain: largest(false) };
}

