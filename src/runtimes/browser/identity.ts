/** What a visitor's identity is made of; persisted per instance. */
export interface IdentityState {
  distinctId?: string;
  accountId?: string;
  deviceId?: string;
  superProperties: Record<string, unknown>;
  /** Opted out of tracking: the only thing stored then. */
  optOut?: boolean;
}

/** The identity of one instance, kept in localStorage. */
export interface Identity {
  state: IdentityState;
  /** Writes the state now (synchronously: identity must survive an immediate navigation). */
  save(): void;
}

/**
 * Loads (and later saves) one instance's identity as JSON under `key`. Without usable storage
 * the identity lives for this page only.
 * @example const identity = loadIdentity(localStorage, 'inlong-js:default:identity', console.error);
 */
export function loadIdentity(storage: Storage | undefined, key: string, onError: (error: unknown) => void): Identity {
  let state: IdentityState = { superProperties: {} };
  try {
    const text = storage?.getItem(key);
    const parsed = text ? (JSON.parse(text) as Partial<IdentityState>) : undefined;
    if (parsed && typeof parsed === 'object') state = { ...parsed, superProperties: { ...parsed.superProperties } };
  } catch (error) {
    // A corrupt or unreadable entry starts a new identity instead of breaking the page.
    onError(error);
  }
  const identity: Identity = {
    state,
    save() {
      const { state: now } = identity;
      try {
        storage?.setItem(key, JSON.stringify(now.optOut ? { optOut: true, superProperties: {} } : now));
      } catch (error) {
        onError(error);
      }
    },
  };
  return identity;
}
