import { RequestError } from './reply.js';

/**
 * Reads a request body as bytes, refusing more than `maxBytes` (413) without buffering the rest:
 * the declared `Content-Length` is checked first, then the bytes as they stream in.
 * @example const bytes = await readBodyCapped(request, 1_048_576);
 */
export async function readBodyCapped(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes, 'body');
  if (request.body === null) return new Uint8Array(0);
  return collect(request.body, maxBytes, 'body');
}

/**
 * gunzips `bytes`, refusing output beyond `maxBytes` (413, a gzip bomb) and a corrupt or cut
 * stream (400). Uses the runtime's `DecompressionStream` (Node ≥ 18, Deno, Workers, browsers)
 * and fflate only where it is missing.
 * @example const text = decodeUtf8(await gunzipCapped(bytes, 8 * 1_048_576));
 */
export async function gunzipCapped(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  if (typeof globalThis.DecompressionStream !== 'function') return gunzipWithFflate(bytes, maxBytes);
  const input = new Blob([toArrayBacked(bytes)]).stream().pipeThrough(new DecompressionStream('gzip'));
  return collect(input, maxBytes, 'gunzipped body');
}

async function gunzipWithFflate(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const { Gunzip } = await import('fflate');
  const chunks: Uint8Array[] = [];
  let size = 0;
  const gunzip = new Gunzip((chunk) => {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes, 'gunzipped body');
    chunks.push(chunk);
  });
  try {
    gunzip.push(bytes, true);
  } catch (error) {
    throw asGzipError(error);
  }
  return concat(chunks, size);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes UTF-8 strictly: an invalid sequence is the client's error (400), not silently U+FFFD.
 * @example decodeUtf8(new TextEncoder().encode('é')) // 'é'
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new RequestError(400, 'bad_utf8', 'body is not valid UTF-8', { cause: error });
  }
}

async function collect(stream: ReadableStream<Uint8Array>, maxBytes: number, what: string): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        // Stop pulling: the rest of an oversized body is never buffered. A failed cancel only
        // means the stream already ended or broke; the answer is 413 either way.
        await reader.cancel().catch((error: unknown) => error);
        throw tooLarge(maxBytes, what);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof RequestError) throw error;
    throw what === 'body' ? new RequestError(400, 'body_read', 'request body could not be read', { cause: error }) : asGzipError(error);
  } finally {
    reader.releaseLock();
  }
  return concat(chunks, size);
}

function asGzipError(error: unknown): RequestError {
  if (error instanceof RequestError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new RequestError(400, 'bad_gzip', `body is not valid gzip (${detail})`, { cause: error });
}

function tooLarge(maxBytes: number, what: string): RequestError {
  return new RequestError(413, 'too_large', `${what} exceeds ${maxBytes} bytes`);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Blob wants ArrayBuffer-backed bytes; a view on a SharedArrayBuffer is copied. */
function toArrayBacked(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
