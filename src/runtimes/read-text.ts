interface DenoFiles {
  readTextFile(path: string | URL): Promise<string>;
}

/**
 * Reads a config file for `initApi('https://…')` or `initApi('./sdk.json')`: over fetch for
 * http(s) URLs, else from the file system (Deno's, or Node's `node:fs/promises`). Loaded only
 * when a config is given as a location (see portable.ts).
 * @example const text = await readText('file:///etc/inlong/sdk.json');
 */
export async function readText(location: string): Promise<string> {
  if (/^https?:\/\//i.test(location)) {
    const response = await globalThis.fetch(location);
    if (!response.ok) throw new Error(`GET ${location} answered HTTP ${response.status}`);
    return response.text();
  }
  const path = location.startsWith('file:') ? new URL(location) : location;
  const deno = (globalThis as { Deno?: DenoFiles }).Deno;
  if (typeof deno?.readTextFile === 'function') return deno.readTextFile(path);
  if (typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string') {
    const fs = await import('node:fs/promises');
    return fs.readFile(path, 'utf8');
  }
  throw new Error(`no file system in this runtime to read ${location}`);
}
