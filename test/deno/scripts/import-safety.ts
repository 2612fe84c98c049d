/**
 * Imports one built entry after wrapping what an import must not touch, then reports what was
 * touched and what the entry exports. Usage: import-safety.ts <specifier>
 */
declare const Deno: { args: string[]; [name: string]: unknown };
export {};

const touched: string[] = [];
const scope = globalThis as unknown as Record<string, unknown>;
for (const name of ['setTimeout', 'setInterval', 'fetch', 'addEventListener', 'queueMicrotask']) {
  const original = scope[name];
  if (typeof original !== 'function') continue;
  scope[name] = function (this: unknown, ...args: unknown[]) {
    touched.push(name);
    return (original as (...values: unknown[]) => unknown).apply(this, args);
  };
}
for (const name of ['localStorage', 'sessionStorage', 'indexedDB', 'navigator']) {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get() {
      touched.push(name);
      return descriptor?.get ? descriptor.get.call(globalThis) : descriptor?.value;
    },
  });
}
for (const name of ['serve', 'readTextFile', 'writeTextFile', 'mkdir', 'stat', 'open', 'listen', 'connect']) {
  const original = Deno[name];
  if (typeof original !== 'function') continue;
  Deno[name] = (...args: unknown[]) => {
    touched.push(`Deno.${name}`);
    return (original as (...values: unknown[]) => unknown)(...args);
  };
}

const specifier = Deno.args[0] ?? 'inlong-js';
const entry = (await import(specifier)) as Record<string, unknown>;
console.log(JSON.stringify({ touched, exported: Object.keys(entry).sort() }));
