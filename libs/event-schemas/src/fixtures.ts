import {
  ECOMMERCE_EVENT_TYPE_SYMBOLS,
  GAME_EVENT_TYPE_SYMBOLS,
  GameEventType,
  EcommerceEventType,
} from './generated/types';
import type { EcommerceEvent, GameEvent } from './streams';

/** Test fixtures: one valid event of every type, with the payload its type requires. */
export const FIXED_NOW = Date.parse('2026-03-01T12:00:00.000Z');

const GAME_PAYLOADS: Partial<Record<GameEventType, Partial<GameEvent>>> = {
  match_start: { match_id: 'm-1', map: 'desert' },
  match_end: { match_id: 'm-1', map: 'desert', score: 1200, outcome: 'win' },
  enemy_defeated: { match_id: 'm-1', enemy_type: 'dragon' },
  item_purchase: { item_id: 'sword-of-dawn', price_minor: 499, currency: 'USD' },
  item_collect: { item_id: 'potion' },
  item_use: { item_id: 'potion' },
  player_attack: { target: 'dragon' },
  player_move: { direction: 'north' },
};

export function gameEvent(
  event_type: GameEventType,
  overrides: Partial<GameEvent> = {},
): GameEvent {
  return {
    event_id: '6f1c1f9e-8a34-4a4e-9a55-2f3b8f6b1d01',
    event_type,
    player_id: 'player-42',
    region: 'EU',
    timestamp: FIXED_NOW - 1_000,
    player_level: 17,
    match_id: null,
    map: null,
    item_id: null,
    price_minor: null,
    currency: null,
    enemy_type: null,
    target: null,
    direction: null,
    score: null,
    outcome: null,
    platform: null,
    ...GAME_PAYLOADS[event_type],
    ...overrides,
  };
}

const PRODUCT = { product_id: 'prod-laptop-001', product_category: 'electronics' };
const ECOMMERCE_PAYLOADS: Partial<Record<EcommerceEventType, Partial<EcommerceEvent>>> = {
  user_login: { login_method: 'password', success: true },
  page_view: { page: '/home', referrer: 'google', duration_ms: 12_500 },
  product_view: PRODUCT,
  item_click: { ...PRODUCT, position: 3 },
  search: { search_query: 'laptop', results_count: 42, clicked_position: 2 },
  add_to_cart: { ...PRODUCT, price_minor: 99_999, quantity: 1, currency: 'USD' },
  remove_from_cart: { ...PRODUCT, quantity: 1 },
  purchase: {
    ...PRODUCT,
    price_minor: 99_999,
    quantity: 2,
    amount_minor: 199_998,
    currency: 'USD',
    order_id: 'o-1',
    payment_method: 'card',
  },
};

export function ecommerceEvent(
  event_type: EcommerceEventType,
  overrides: Partial<EcommerceEvent> = {},
): EcommerceEvent {
  return {
    event_id: '0b7c0a52-3f6e-4c1d-8e2a-9d5b7c3a1e02',
    event_type,
    customer_id: 'cust-001',
    session_id: 'sess-001',
    timestamp: FIXED_NOW - 1_000,
    device: 'mobile',
    location: 'US',
    subdivision: 'US-NY',
    product_id: null,
    product_category: null,
    price_minor: null,
    quantity: null,
    amount_minor: null,
    currency: null,
    order_id: null,
    payment_method: null,
    page: null,
    referrer: null,
    duration_ms: null,
    position: null,
    search_query: null,
    results_count: null,
    clicked_position: null,
    login_method: null,
    success: null,
    coupon_code: null,
    ...ECOMMERCE_PAYLOADS[event_type],
    ...overrides,
  };
}

export const KNOWN_GAME_TYPES = GAME_EVENT_TYPE_SYMBOLS.filter((t) => t !== 'unknown');
export const KNOWN_ECOMMERCE_TYPES = ECOMMERCE_EVENT_TYPE_SYMBOLS.filter((t) => t !== 'unknown');
