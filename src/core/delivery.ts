import type { Clock, Pack } from './types.js';
import type { Outbox, QueuedPack } from './outbox.js';
import { classify, type Outcome, type Verdict } from './retry-policy.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { DeliveryError } from './errors/delivery-error.js';
import { utf8Length } from './utf8.js';

/** Where packs go: DataProxy nodes, or a bridge. Built in `src/dataproxy/`. */
export interface Endpoint {
  readonly name: string;
  /** How many packs one `deliver` call may carry (DataProxy: 1; the bridge: several). */
  readonly maxPacksPerCall: number;
  /** One outcome per pack, in order. Never rejects: a network failure is an outcome. */
  deliver(packs: readonly Pack[]): Promise<Outcome[]>;
}

/** What the delivery loop reports, for stats and the playground. */
export type DeliveryEvent =
  | { type: 'send'; packs: readonly Pack[] }
  | { type: 'ack'; pack: Pack }
  | { type: 'retry'; pack: Pack; verdict: Verdict; delayMs: number }
  | { type: 'split'; pack: Pack }
  | { type: 'fail'; pack: Pack; error: DeliveryError }
  /** The outbox itself failed (a storage error); the packs stay where they were. */
  | { type: 'error'; error: unknown };

export interface DeliveryOptions {
  clock: Clock;
  outbox: Outbox;
  endpoint: Endpoint;
  /** Retries after the first attempt before a pack finally fails (`Infinity`: never give up). */
  retries: number;
  backoff: BackoffOptions;
  /** Requests in flight at once. */
  concurrency: number;
  onEvent: (event: DeliveryEvent) => void;
}

export interface Delivery {
  /** Try to send what is due, now. */
  kick(): void;
  /** Resolves when the outbox is empty and nothing is in flight. */
  idle(): Promise<void>;
  /** No more sends; results still arriving are ignored. */
  stop(): void;
  inFlight(): number;
}

/**
 * The delivery loop: leases due packs, sends them, and acts on the retry policy's verdict —
 * remove on ack, back off and release on retry, halve on split, report on final failure.
 */
export function createDelivery(options: DeliveryOptions): Delivery {
  const { clock, outbox, endpoint, onEvent } = options;
  let inFlight = 0;
  let pumping = false;
  let stopped = false;
  let timer: unknown;
  let timerDue = Infinity;
  const idleWaiters: Array<() => void> = [];

  const checkIdle = (): void => {
    if (inFlight > 0 || (outbox.size().packs > 0 && !stopped)) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const settle = async (pack: QueuedPack, verdict: Verdict): Promise<void> => {
    const { action } = verdict;
    const attempts = pack.attempts + 1;
    if (action === 'retry' && attempts <= options.retries) {
      const delayMs = backoffDelay(attempts, options.backoff, clock.random, verdict.retryAfterMs);
      await outbox.release({ ...pack, attempts, notBefore: clock.now() + delayMs });
      onEvent({ type: 'retry', pack, verdict, delayMs });
      return;
    }
    await outbox.remove([pack.id]);
    if (action === 'ack') return onEvent({ type: 'ack', pack });
    const { records } = pack;
    if (action === 'split' && records.length > 1) {
      const middle = Math.ceil(records.length / 2);
      for (const [index, from, to] of [[0, 0, middle], [1, middle, records.length]] as const) {
        const half = records.slice(from, to);
        const meta = pack.meta?.slice(from, to);
        const bytes = half.reduce((sum, record) => sum + utf8Length(record), half.length - 1);
        await outbox.put({ ...pack, id: `${pack.id}.${index}`, records: half, bytes, notBefore: 0, wire: undefined, ...(meta ? { meta } : {}) });
      }
      return onEvent({ type: 'split', pack });
    }
    const permanent = action !== 'retry';
    const why = permanent ? 'rejected' : `gave up after ${attempts} attempts`;
    const error = new DeliveryError(verdict.reason, `${why}: ${verdict.reason} ${verdict.message}`.trim(), { permanent, detail: verdict.message });
    onEvent({ type: 'fail', pack, error });
  };

  const send = async (packs: QueuedPack[]): Promise<void> => {
    onEvent({ type: 'send', packs });
    const outcomes = await endpoint.deliver(packs);
    if (stopped) return;
    for (const [index, pack] of packs.entries()) {
      await settle(pack, classify(outcomes[index] ?? { kind: 'network', timedOut: false, message: 'endpoint returned no outcome' }));
    }
  };

  const pump = async (): Promise<void> => {
    if (pumping || stopped) return;
    pumping = true;
    try {
      while (!stopped && inFlight < options.concurrency) {
        const packs = await outbox.lease(clock.now(), endpoint.maxPacksPerCall);
        if (packs.length === 0) break;
        inFlight++;
        void send(packs)
          .catch(report)
          .finally(() => {
            inFlight--;
            void pump();
          });
      }
    } catch (error) {
      report(error);
    } finally {
      pumping = false;
    }
    // The next attempt: wake at the earliest pack's `notBefore`, unless a timer already will.
    const due = outbox.nextDue();
    if (!stopped && due !== undefined && due < timerDue) {
      clock.clearTimeout(timer);
      timerDue = due;
      timer = clock.setTimeout(() => {
        timerDue = Infinity;
        void pump();
      }, Math.max(0, due - clock.now()));
    }
    checkIdle();
  };
  const report = (error: unknown): void => onEvent({ type: 'error', error });

  return {
    kick: () => void pump(),
    idle() {
      const done = new Promise<void>((resolve) => idleWaiters.push(resolve));
      checkIdle();
      void pump();
      return done;
    },
    stop() {
      stopped = true;
      clock.clearTimeout(timer);
      checkIdle();
    },
    inFlight: () => inFlight,
  };
}
