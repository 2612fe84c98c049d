import type { Compressor, Pack } from '../../core/types.js';
import { utf8Length } from '../../core/utf8.js';
import { buildMultiPackBody } from '../../dataproxy/multi-pack.js';

/** One request body for one pack. */
export interface WireBody {
  body: Uint8Array | string;
  gzip: boolean;
  /** Bytes of `body` (UTF-8 bytes when it is text). */
  bytes: number;
  /** UTF-8 bytes of the text before compression. */
  raw: number;
}

/** Request bodies of packs, compressed once, when the pack is formed. */
export interface Wire {
  /** Starts compressing `pack`'s form; the bytes are kept until `forget`. */
  prepare(pack: Pack): void;
  /** The body to send, waiting for a compression still running. */
  body(pack: Pack): Promise<WireBody>;
  /** The body right now, for page exit: compressed bytes if ready, the form text otherwise. */
  now(pack: Pack): WireBody;
  forget(id: string): void;
}

/**
 * Keeps each pack's compressed request body from the moment the pack is formed, so delivery and
 * page exit only read bytes: at `pagehide` there is no time for compression (`CompressionStream`
 * is asynchronous and the page may be gone before it answers).
 * @example
 * const wire = createWire({ compressor: createNativeGzip(), minZipBytes: 512 });
 * wire.prepare(pack);
 * const { body, gzip } = await wire.body(pack);
 */
export function createWire(options: { compressor?: Gzip | undefined; minZipBytes: number; writeKey?: string | undefined }): Wire {
  const ready = new Map<string, WireBody>();
  const pending = new Map<string, Promise<unknown>>();
  const text = (pack: Pack): string => buildMultiPackBody([pack], options.writeKey);

  const now = (pack: Pack): WireBody => {
    const form = ready.get(pack.id) ?? text(pack);
    if (typeof form !== 'string') return form;
    const bytes = utf8Length(form);
    return { body: form, gzip: false, bytes, raw: bytes };
  };

  return {
    prepare(pack) {
      const { compressor } = options;
      if (!compressor || ready.has(pack.id) || pending.has(pack.id)) return;
      const form = text(pack);
      if (form.length < options.minZipBytes) return;
      const raw = utf8Length(form);
      const settle = (bytes?: Uint8Array): void => {
        // Forgotten meanwhile (acknowledged, dropped): keep nothing.
        if (pending.get(pack.id) !== job) return;
        pending.delete(pack.id);
        if (bytes) ready.set(pack.id, { body: bytes, gzip: true, bytes: bytes.byteLength, raw });
      };
      // A failed compression only costs bytes on the wire: the form text is sent instead.
      const job: Promise<void> = compressor.gzip(new TextEncoder().encode(form)).then(settle, () => settle());
      pending.set(pack.id, job);
    },
    async body(pack) {
      await pending.get(pack.id);
      return now(pack);
    },
    now,
    forget(id) {
      ready.delete(id);
      pending.delete(id);
    },
  };
}

/** The half of a `Compressor` the browser needs: it only ever compresses. */
export type Gzip = Pick<Compressor, 'name' | 'gzip'>;

/**
 * gzip on the runtime's own `CompressionStream`, or `undefined` where there is none (Safari <
 * 16.4, Firefox < 113): those browsers send uncompressed rather than download fflate into the
 * `<script>` build.
 * @example const compressor = createNativeGzip(); // undefined in old Safari
 */
export function createNativeGzip(): Gzip | undefined {
  if (typeof globalThis.CompressionStream !== 'function') return undefined;
  return {
    name: 'compression-stream',
    gzip: async (data) =>
      new Uint8Array(await new Response(new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()),
  };
}
