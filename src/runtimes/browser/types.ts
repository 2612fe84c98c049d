import type { LocalStorageAdapter } from '../../adapters/storage/local-storage.js';
import type { DeliveryEvent } from '../../core/delivery.js';
import type { Outbox, QueuedPack } from '../../core/outbox.js';
import type { StorageAdapter } from '../../core/types.js';
import type { DropInfo } from './options.js';
import type { TabLock } from './tab-lock.js';

/** Event and property values, as ThinkingData takes them. */
export type Properties = Record<string, unknown>;

/** `trackFirst` / `trackUpdate` / `trackOverwrite` take one event object (ThinkingData web naming). */
export interface SpecialEvent {
  eventName: string;
  properties?: Properties;
  /** `trackUpdate` / `trackOverwrite`: the event to change. */
  eventId?: string;
  /** `trackFirst`: what "first" is counted by. Default: the device id. */
  firstCheckId?: string;
  time?: Date;
}

/** One instance of the browser SDK: ThinkingData's web API over InLong. */
export interface BrowserClient {
  readonly name: string;
  track(eventName: string, properties?: Properties, time?: Date): void;
  trackFirst(event: SpecialEvent): void;
  trackUpdate(event: SpecialEvent): void;
  trackOverwrite(event: SpecialEvent): void;
  /** The next `track(eventName)` carries `#duration`, in seconds since this call. */
  timeEvent(eventName: string): void;
  identify(distinctId: string): void;
  setDistinctId(distinctId: string): void;
  getDistinctId(): string;
  getDeviceId(): string;
  getAccountId(): string | undefined;
  login(accountId: string): void;
  /** Forgets the account id; with `true`, also starts a new anonymous distinct id. */
  logout(changeDistinctId?: boolean): void;
  userSet(properties: Properties): void;
  userSetOnce(properties: Properties): void;
  userAdd(properties: Properties): void;
  userUnset(name: string | string[]): void;
  userAppend(properties: Properties): void;
  userUniqAppend(properties: Properties): void;
  userDel(): void;
  setSuperProperties(properties: Properties): void;
  getSuperProperties(): Properties;
  unsetSuperProperty(name: string): void;
  clearSuperProperties(): void;
  setDynamicSuperProperties(callback: () => Properties): void;
  /** Super properties of this page view only (not persisted). */
  setPageProperty(properties: Properties): void;
  getPageProperty(): Properties;
  getPresetProperties(): Properties;
  /** Resolves when everything tracked so far was acknowledged by the bridge. */
  flush(): Promise<void>;
  /** Stops tracking, clears the outbox and the stored identity; remembered across visits. */
  optOutTracking(): void;
  optInTracking(): void;
  /** Pauses (false) or resumes tracking for this page. */
  enableTracking(enabled: boolean): void;
  stats(): BrowserStats;
  subscribe(listener: (event: BrowserEvent) => void): () => void;
  /** Stops listeners and timers; what is queued stays stored for the next visit. */
  close(): Promise<void>;
}

/** Counters for dashboards and the playground. */
export interface BrowserStats {
  /** Records accepted by `track` and the user operations. */
  tracked: number;
  acked: number;
  /** Delivery attempts that will be retried. */
  retried: number;
  /** Records the bridge refused for good (caller errors). */
  failed: number;
  /** Records dropped by the outbox bound or a full storage. */
  dropped: number;
  /** Records sent by page exit (`sendBeacon` / keepalive); they stay queued until acknowledged. */
  beaconed: number;
  /** Records waiting in the outbox (this tab's view), and their bytes. */
  queued: number;
  queuedBytes: number;
  /** Records not yet formed into a pack. */
  buffered: number;
  inFlight: number;
  /** Form bytes before compression, and bytes put on the wire, over all requests. */
  bytesRaw: number;
  bytesSent: number;
  storage: string;
  online: boolean;
}

/** Everything the facade subscribes to. */
export type BrowserEvent =
  | DeliveryEvent
  | { type: 'drop'; drop: DropInfo }
  | { type: 'beacon'; records: number; bytes: number };

/** The delivery half of a browser client: durable outbox, page exit, tabs, network. */
export interface BrowserRuntime {
  /** False when the record cannot fit in a pack: it is not kept, and reported as a drop. */
  enqueue(record: string): boolean;
  flush(): Promise<void>;
  stats(): BrowserStats;
  subscribe(listener: (event: BrowserEvent) => void): () => void;
  /** Empties the outbox (opt-out). */
  clear(): Promise<void>;
  /** Stops listeners and timers; stored packs stay for the next visit. */
  close(): Promise<void>;
}

export interface DurableOutboxOptions {
  /**
   * Where packs live; may still be probing (packs wait in memory meanwhile). `undefined`: no
   * usable storage, packs live in memory for this visit.
   */
  storage: Promise<StorageAdapter | undefined>;
  /** localStorage with synchronous writes, for packs not yet written when the page goes away. */
  journal?: LocalStorageAdapter;
  lock: TabLock;
  /** Key prefix of this instance's packs, e.g. `'default:p:'`. */
  prefix: string;
  /** Record bytes kept at most. */
  maxBytes: number;
  overflow: 'drop-oldest' | 'drop-newest';
  /** A pack another tab is sending is looked at again after this long. Default 1000 ms. */
  busyMs?: number;
  onDrop: (drop: DropInfo) => void;
  onError: (error: unknown) => void;
  /** A pack came in (formed here, or found in storage): the moment to compress it. */
  onAdd?: (pack: QueuedPack) => void;
  /** A pack left (delivered, dropped, delivered by another tab). */
  onForget?: (id: string) => void;
  /** Packs became due without a new pack to wake delivery (a scan found some, the network is back). */
  onWake?: () => void;
}

/** The outbox plus what the browser runtime needs around it. */
export interface DurableOutbox extends Outbox {
  /** Reads packs left in storage by earlier visits, other tabs and page-exit journals. */
  scan(): Promise<void>;
  /** Offline: lease nothing. Back online: everything is due now. */
  setPaused(paused: boolean): void;
  /** Writes packs not yet in storage to the journal synchronously (page exit); returns how many. */
  journal(): number;
  /** Every pack this tab knows, oldest first. */
  packs(): QueuedPack[];
  /** Another tab delivered these: forget them here without touching storage. */
  delivered(ids: readonly string[]): void;
}

