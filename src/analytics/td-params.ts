/**
 * Who an operation is about; at least one of the two ids. The parameter objects of `TDAnalytics`
 * calls are named as in ThinkingData's Node SDK.
 * @example const params: TrackParams = { distinctId: 'd1', event: 'buy', properties: { price: 3 } };
 */
export interface IdentityParams {
  distinctId?: string;
  accountId?: string;
  /** The record's `#time`; default now. */
  time?: Date;
  /** `#ip`; the server derives the location from it. */
  ip?: string;
  /** `#uuid`; default a random one (with `enableUuid`). */
  uuid?: string;
  /** `#app_id`. */
  appId?: string;
}

/**
 * `track`: one event.
 * @example td.track({ distinctId: 'd1', event: 'buy', properties: { price: 3 } } satisfies TrackParams);
 */
export interface TrackParams extends IdentityParams {
  event: string;
  properties?: Record<string, unknown>;
}

/**
 * `trackFirst`: an event counted once per `firstCheckId` (default: the distinct or account id).
 * @example td.trackFirst({ distinctId: 'd1', event: 'first_open', firstCheckId: 'device-9' });
 */
export interface TrackFirstParams extends TrackParams {
  firstCheckId?: string;
}

/**
 * `trackUpdate` / `trackOverwrite`: changes the event `eventId`.
 * @example td.trackUpdate({ accountId: 'a1', event: 'order', eventId: 'o-1', properties: { status: 'paid' } });
 */
export interface TrackUpdateParams extends TrackParams {
  eventId: string;
}

/**
 * User property operations.
 * @example td.userAdd({ accountId: 'a1', properties: { coins: 5 } });
 */
export interface UserParams extends IdentityParams {
  properties?: Record<string, unknown>;
}

/**
 * `userUnset`: the property names to clear.
 * @example td.userUnset({ accountId: 'a1', property: ['age', 'city'] });
 */
export interface UserUnsetParams extends IdentityParams {
  property: string | string[];
}
