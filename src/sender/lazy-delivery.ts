import type { Delivery } from '../core/delivery.js';

/**
 * A `Delivery` whose loop is loaded on first need: the first pack stored (`kick`) or a flush
 * (`idle`). Until then nothing is in flight and packs wait in the outbox. A load that fails (an
 * offline page, a deploy in between) goes to `onError` and is tried again on the next kick or
 * flush; a flush waiting on it rejects with the error.
 * @example const delivery = createLazyDelivery(async () => createDelivery({ ...options, endpoint }), report);
 */
export function createLazyDelivery(load: () => Promise<Delivery>, onError: (error: unknown) => void): Delivery {
  let delivery: Delivery | undefined;
  let loading: Promise<Delivery> | undefined;
  let stopped = false;

  const get = (): Promise<Delivery> =>
    (loading ??= load().then(
      (loaded) => {
        delivery = loaded;
        if (stopped) loaded.stop();
        return loaded;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));

  return {
    kick() {
      if (delivery) return delivery.kick();
      if (!stopped) get().then((loaded) => loaded.kick(), onError);
    },
    idle: () => (delivery ? delivery.idle() : stopped ? Promise.resolve() : get().then((loaded) => loaded.idle())),
    stop() {
      stopped = true;
      delivery?.stop();
    },
    inFlight: () => delivery?.inFlight() ?? 0,
  };
}
