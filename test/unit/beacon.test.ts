import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBeaconTransport } from '../../src/adapters/transport/beacon.js';

interface Call {
  url: string;
  data: unknown;
}

function recorder(result = true) {
  const calls: Call[] = [];
  const sendBeacon = (url: string, data: BodyInit) => {
    calls.push({ url, data });
    return result;
  };
  return { calls, sendBeacon };
}

async function blobOf(call: Call | undefined): Promise<{ type: string; bytes: Uint8Array }> {
  expect(call?.data).toBeInstanceOf(Blob);
  const blob = call?.data as Blob;
  return { type: blob.type, bytes: new Uint8Array(await blob.arrayBuffer()) };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createBeaconTransport', () => {
  it('sends a string as a Blob typed exactly, without ;charset', async () => {
    const { calls, sendBeacon } = recorder();
    const beacon = createBeaconTransport({ sendBeacon });
    const body = 'groupId=g&streamId=s&cnt=1&body=%C3%A9';
    expect(beacon?.send('https://bridge.test/dataproxy/message', body, 'application/x-www-form-urlencoded')).toBe(true);
    expect(calls[0]?.url).toBe('https://bridge.test/dataproxy/message');
    const blob = await blobOf(calls[0]);
    expect(blob.type).toBe('application/x-www-form-urlencoded');
    expect(blob.bytes).toEqual(new TextEncoder().encode(body));
  });

  it('sends bytes unchanged', async () => {
    const { calls, sendBeacon } = recorder();
    const bytes = new Uint8Array([0x1f, 0x8b, 8, 0, 255, 1, 2]);
    createBeaconTransport({ sendBeacon })?.send('https://bridge.test/x?gzip=1', bytes, 'text/plain');
    const blob = await blobOf(calls[0]);
    expect(blob.type).toBe('text/plain');
    expect(blob.bytes).toEqual(bytes);
  });

  it('reports a refusal, or a throw, as false', () => {
    expect(createBeaconTransport(recorder(false))?.send('https://bridge.test/', 'x', 'text/plain')).toBe(false);
    const throwing = () => {
      throw new TypeError('not safelisted');
    };
    expect(createBeaconTransport({ sendBeacon: throwing })?.send('https://bridge.test/', 'x', 'application/json')).toBe(false);
  });

  it('is undefined where the runtime has no beacon', () => {
    vi.stubGlobal('navigator', {});
    expect(createBeaconTransport()).toBeUndefined();
    vi.stubGlobal('navigator', undefined);
    expect(createBeaconTransport()).toBeUndefined();
  });

  it('uses navigator.sendBeacon, called on navigator', () => {
    const seen: unknown[] = [];
    const nav = {
      sendBeacon(this: unknown) {
        seen.push(this);
        return true;
      },
    };
    vi.stubGlobal('navigator', nav);
    const beacon = createBeaconTransport();
    expect(beacon?.name).toBe('beacon');
    expect(beacon?.send('https://bridge.test/', 'x', 'text/plain')).toBe(true);
    expect(seen).toEqual([nav]);
  });
});
