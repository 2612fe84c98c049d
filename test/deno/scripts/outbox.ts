/**
 * createLocalStorageOutbox from the built `inlong-js/deno` in Deno's real localStorage.
 * Usage: outbox.ts write|read|check — three processes, so what survives is what was stored.
 */
declare const Deno: { args: string[] };
export {};

const specifier: string = 'inlong-js/deno';
const { createLocalStorageOutbox, hasLocalStorage } = (await import(specifier)) as typeof import('../../../src/runtimes/deno.js');

const pack = (id: string, records: string[], createdAt: number) => ({
  id, groupId: 'g', streamId: 's', records, dt: 1_700_000_000_000, bytes: records.join('\n').length, attempts: 0, createdAt, notBefore: 0,
});
const phase = Deno.args[0];
const outbox = createLocalStorageOutbox({ prefix: 'test:' });
const report: Record<string, unknown> = { hasLocalStorage: hasLocalStorage(), durable: outbox.durable, start: outbox.size() };

if (phase === 'write') {
  await outbox.put(pack('p1', ['a', 'b'], 1));
  await outbox.put({ ...pack('p2', ['c'], 2), meta: [() => 'callbacks are not stored'] });
  await outbox.put(pack('p3', ['d', 'e', 'f'], 3));
  const [first] = await outbox.lease(Date.now(), 1);
  if (first) await outbox.release({ ...first, attempts: 1, notBefore: Date.now() + 60_000 });
  const leased = await outbox.lease(Date.now(), 10);
  report.leased = leased.map((item) => item.id);
  await outbox.remove(['p3']);
  report.nextDue = typeof outbox.nextDue();
  // The process ends here with p2 leased (in flight) and p1 waiting: both must survive.
} else if (phase === 'read') {
  const leased = await outbox.lease(Date.now(), 10);
  report.restored = leased.map((item) => ({ id: item.id, records: item.records, attempts: item.attempts, meta: 'meta' in item }));
  await outbox.remove(leased.map((item) => item.id));
}
report.end = outbox.size();
console.log(JSON.stringify(report));
