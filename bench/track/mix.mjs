// The event mix: 70 % track with 8 properties (a date and a nested object among them), 20 %
// userSet, 10 % userAdd. Seeded, so every SDK and every run sees the same shapes and values.

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EVENT_NAMES = ['view_item', 'add_to_cart', 'begin_checkout', 'purchase'];
const CITIES = ['Berlin', 'Shenzhen', 'São Paulo', 'Lagos', 'Toronto'];

function trackProperties(random, i) {
  const items = 1 + Math.floor(random() * 5);
  const price = Math.round(random() * 20_000) / 100;
  return {
    page: `/products/${Math.floor(random() * 5_000)}`,
    product_id: `sku-${Math.floor(random() * 100_000)}`,
    price,
    quantity: items,
    currency: 'EUR',
    is_member: random() < 0.3,
    viewed_at: new Date(Date.UTC(2025, 0, 1) + i * 1_000),
    cart: { cart_id: `cart-${Math.floor(random() * 1e6)}`, items, total: Math.round(price * items * 100) / 100 },
  };
}

/** Fresh objects per call: thinkingdata-node rewrites Dates in place, so runs never share them. */
export function makeEvents(count, seed = 7) {
  const random = mulberry32(seed);
  const events = new Array(count);
  for (let i = 0; i < count; i++) {
    const distinctId = `user-${Math.floor(random() * 10_000)}`;
    const slot = i % 10;
    if (slot < 7) events[i] = { kind: 'track', params: { distinctId, event: EVENT_NAMES[i % 4], properties: trackProperties(random, i) } };
    else if (slot < 9) events[i] = { kind: 'userSet', params: { distinctId, properties: { name: `User ${i}`, plan: random() < 0.5 ? 'free' : 'pro', city: CITIES[i % 5] } } };
    else events[i] = { kind: 'userAdd', params: { distinctId, properties: { coins: Math.floor(random() * 100), visits: 1 } } };
  }
  return events;
}
