// Generated from libs/event-schemas/schemas/*.avsc by `nx run event-schemas:codegen`. Do not edit.

export const ECOMMERCE_EVENT_TYPE_SYMBOLS = ['user_login', 'page_view', 'product_view', 'item_click', 'search', 'add_to_cart', 'remove_from_cart', 'purchase', 'unknown'] as const;
export type EcommerceEventType = (typeof ECOMMERCE_EVENT_TYPE_SYMBOLS)[number];

export const DEVICE_SYMBOLS = ['mobile', 'desktop', 'tablet', 'unknown'] as const;
export type Device = (typeof DEVICE_SYMBOLS)[number];

export const GAME_EVENT_TYPE_SYMBOLS = ['player_join', 'player_leave', 'match_start', 'match_end', 'enemy_defeated', 'item_purchase', 'level_up', 'player_move', 'player_attack', 'item_collect', 'item_use', 'unknown'] as const;
export type GameEventType = (typeof GAME_EVENT_TYPE_SYMBOLS)[number];

export const REGION_SYMBOLS = ['NA', 'EU', 'ASIA', 'MENA', 'SA', 'OCE', 'UNKNOWN'] as const;
export type Region = (typeof REGION_SYMBOLS)[number];

/** One storefront event: the union of the three replaced e-commerce pipelines under one naming (mapping in libs/event-schemas/README.md). Per-type fields are null unless the event_type uses them. Money is in integer minor units of `currency`. (ecommerce-event.v1.avsc) */
export interface EcommerceEventV1 {
  readonly event_id: string;
  readonly event_type: EcommerceEventType;
  /** customer_id (seed 002), user_id (seeds 003, 004). */
  readonly customer_id: string;
  readonly session_id: string;
  /** Event time, stamped at the source. */
  readonly timestamp: number;
  readonly device: Device;
  /** ISO 3166-1 alpha-2 country code (US, UK, CA, DE, FR, JP, AU, BR, ...). */
  readonly location: string;
  /** ISO 3166-2 state or province (seed 002's US states), e.g. US-NY. */
  readonly subdivision: null | string;
  /** product_view, item_click, add_to_cart, remove_from_cart, purchase */
  readonly product_id: null | string;
  /** With product_id; seeds' category / product_category. */
  readonly product_category: null | string;
  /** Unit price in minor units (seed 004 price, 003 cart_add price). */
  readonly price_minor: null | number;
  readonly quantity: null | number;
  /** purchase: order total = price_minor x quantity (seed 002 amount, 003 total_amount). */
  readonly amount_minor: null | number;
  /** ISO 4217 code, with any money field. */
  readonly currency: null | string;
  /** purchase: one purchase event per order. */
  readonly order_id: null | string;
  readonly payment_method: null | string;
  /** page_view */
  readonly page: null | string;
  /** page_view */
  readonly referrer: null | string;
  /** page_view: time on page (seed 003 duration_seconds x 1000). */
  readonly duration_ms: null | number;
  /** item_click: position in the list. */
  readonly position: null | number;
  readonly search_query: null | string;
  readonly results_count: null | number;
  readonly clicked_position: null | number;
  /** user_login: password, google, apple, ... */
  readonly login_method: null | string;
  /** user_login */
  readonly success: null | boolean;
}

/** One storefront event: the union of the three replaced e-commerce pipelines under one naming (mapping in libs/event-schemas/README.md). Per-type fields are null unless the event_type uses them. Money is in integer minor units of `currency`. (ecommerce-event.v2.avsc) */
export interface EcommerceEventV2 {
  readonly event_id: string;
  readonly event_type: EcommerceEventType;
  /** customer_id (seed 002), user_id (seeds 003, 004). */
  readonly customer_id: string;
  readonly session_id: string;
  /** Event time, stamped at the source. */
  readonly timestamp: number;
  readonly device: Device;
  /** ISO 3166-1 alpha-2 country code (US, UK, CA, DE, FR, JP, AU, BR, ...). */
  readonly location: string;
  /** ISO 3166-2 state or province (seed 002's US states), e.g. US-NY. */
  readonly subdivision: null | string;
  /** product_view, item_click, add_to_cart, remove_from_cart, purchase */
  readonly product_id: null | string;
  /** With product_id; seeds' category / product_category. */
  readonly product_category: null | string;
  /** Unit price in minor units (seed 004 price, 003 cart_add price). */
  readonly price_minor: null | number;
  readonly quantity: null | number;
  /** purchase: order total = price_minor x quantity (seed 002 amount, 003 total_amount). */
  readonly amount_minor: null | number;
  /** ISO 4217 code, with any money field. */
  readonly currency: null | string;
  /** purchase: one purchase event per order. */
  readonly order_id: null | string;
  readonly payment_method: null | string;
  /** page_view */
  readonly page: null | string;
  /** page_view */
  readonly referrer: null | string;
  /** page_view: time on page (seed 003 duration_seconds x 1000). */
  readonly duration_ms: null | number;
  /** item_click: position in the list. */
  readonly position: null | number;
  readonly search_query: null | string;
  readonly results_count: null | number;
  readonly clicked_position: null | number;
  /** user_login: password, google, apple, ... */
  readonly login_method: null | string;
  /** user_login */
  readonly success: null | boolean;
  /** v2: purchase coupon; null in v1 data. */
  readonly coupon_code: null | string;
}

/** One game telemetry event. Common fields first; per-type payload fields are null unless the event_type uses them (see libs/event-schemas/README.md). Money is in integer minor units of `currency`. (game-event.v1.avsc) */
export interface GameEventV1 {
  /** Unique per event; duplicates share it. */
  readonly event_id: string;
  readonly event_type: GameEventType;
  readonly player_id: string;
  readonly region: Region;
  /** Event time, stamped at the source. */
  readonly timestamp: number;
  /** The player's level when the event happened (after it, for level_up). */
  readonly player_level: number;
  readonly match_id: null | string;
  /** arena, desert, city, ... */
  readonly map: null | string;
  /** item_purchase, item_collect, item_use */
  readonly item_id: null | string;
  /** item_purchase: price in minor units of currency (cents). */
  readonly price_minor: null | number;
  /** ISO 4217 code, with price_minor. */
  readonly currency: null | string;
  /** enemy_defeated */
  readonly enemy_type: null | string;
  /** player_attack: what was attacked. */
  readonly target: null | string;
  /** player_move: north, south, east, west. */
  readonly direction: null | string;
  /** match_end: the player's score. */
  readonly score: null | number;
  /** match_end: win, loss or draw. */
  readonly outcome: null | string;
}

/** One game telemetry event. Common fields first; per-type payload fields are null unless the event_type uses them (see libs/event-schemas/README.md). Money is in integer minor units of `currency`. (game-event.v2.avsc) */
export interface GameEventV2 {
  /** Unique per event; duplicates share it. */
  readonly event_id: string;
  readonly event_type: GameEventType;
  readonly player_id: string;
  readonly region: Region;
  /** Event time, stamped at the source. */
  readonly timestamp: number;
  /** The player's level when the event happened (after it, for level_up). */
  readonly player_level: number;
  readonly match_id: null | string;
  /** arena, desert, city, ... */
  readonly map: null | string;
  /** item_purchase, item_collect, item_use */
  readonly item_id: null | string;
  /** item_purchase: price in minor units of currency (cents). */
  readonly price_minor: null | number;
  /** ISO 4217 code, with price_minor. */
  readonly currency: null | string;
  /** enemy_defeated */
  readonly enemy_type: null | string;
  /** player_attack: what was attacked. */
  readonly target: null | string;
  /** player_move: north, south, east, west. */
  readonly direction: null | string;
  /** match_end: the player's score. */
  readonly score: null | number;
  /** match_end: win, loss or draw. */
  readonly outcome: null | string;
  /** v2: pc, console or mobile; null in v1 data. */
  readonly platform: null | string;
}
