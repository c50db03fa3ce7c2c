import type { EcommerceEvent, GameEvent } from './streams';

export type ValidationCode =
  | 'MISSING_FIELD'
  | 'EMPTY_FIELD'
  | 'UNKNOWN_EVENT_TYPE'
  | 'UNKNOWN_REGION'
  | 'UNKNOWN_DEVICE'
  | 'NEGATIVE_AMOUNT'
  | 'NEGATIVE_QUANTITY'
  | 'TIMESTAMP_IN_FUTURE'
  | 'TIMESTAMP_TOO_OLD';

export interface ValidationIssue {
  readonly code: ValidationCode;
  readonly field: string;
  readonly message: string;
}

export interface ValidationPolicy {
  /** The validator's "now" (epoch ms): passed in, so validation stays pure and testable. */
  readonly nowMs: number;
  /** How far ahead of now an event time may be (clock skew). Default 5 minutes. */
  readonly maxFutureMs?: number;
  /** How far behind now an event time may be. Default 7 days. */
  readonly maxAgeMs?: number;
}

type Rules<E> = Partial<Record<string, readonly (keyof E & string)[]>>;

/** Payload fields each event type must carry (seed 002's "data quality validation", made exact). */
const GAME_PAYLOAD: Rules<GameEvent> = {
  match_start: ['match_id', 'map'],
  match_end: ['match_id', 'outcome'],
  enemy_defeated: ['enemy_type'],
  item_purchase: ['item_id', 'price_minor', 'currency'],
  item_collect: ['item_id'],
  item_use: ['item_id'],
  player_attack: ['target'],
  player_move: ['direction'],
};

const PRODUCT = ['product_id', 'product_category'] as const;
const ECOMMERCE_PAYLOAD: Rules<EcommerceEvent> = {
  product_view: PRODUCT,
  item_click: PRODUCT,
  add_to_cart: [...PRODUCT, 'price_minor', 'quantity', 'currency'],
  remove_from_cart: [...PRODUCT, 'quantity'],
  purchase: [...PRODUCT, 'price_minor', 'quantity', 'amount_minor', 'currency', 'order_id'],
  search: ['search_query'],
  page_view: ['page'],
};

export function validateGameEvent(event: GameEvent, policy: ValidationPolicy): ValidationIssue[] {
  return [
    ...requireText(event, ['event_id', 'player_id']),
    ...known(event.event_type, 'unknown', 'UNKNOWN_EVENT_TYPE', 'event_type'),
    ...known(event.region, 'UNKNOWN', 'UNKNOWN_REGION', 'region'),
    ...payload(event, GAME_PAYLOAD[event.event_type]),
    ...notNegative(event, ['price_minor'], 'NEGATIVE_AMOUNT'),
    ...plausibleTime(event.timestamp, policy),
  ];
}

export function validateEcommerceEvent(event: EcommerceEvent, policy: ValidationPolicy): ValidationIssue[] {
  return [
    ...requireText(event, ['event_id', 'customer_id', 'session_id', 'location']),
    ...known(event.event_type, 'unknown', 'UNKNOWN_EVENT_TYPE', 'event_type'),
    ...known(event.device, 'unknown', 'UNKNOWN_DEVICE', 'device'),
    ...payload(event, ECOMMERCE_PAYLOAD[event.event_type]),
    ...notNegative(event, ['price_minor', 'amount_minor'], 'NEGATIVE_AMOUNT'),
    ...notNegative(event, ['quantity'], 'NEGATIVE_QUANTITY'),
    ...plausibleTime(event.timestamp, policy),
  ];
}

function requireText<E extends object>(event: E, fields: readonly (keyof E & string)[]): ValidationIssue[] {
  return fields.flatMap((field) => {
    const value = event[field];
    if (value === null || value === undefined) return [issue('MISSING_FIELD', field, 'is required')];
    if (typeof value === 'string' && value.trim() === '') return [issue('EMPTY_FIELD', field, 'is empty')];
    return [];
  });
}

function payload<E extends object>(event: E, fields: readonly (keyof E & string)[] | undefined): ValidationIssue[] {
  return fields ? requireText(event, fields) : [];
}

function known(value: string, unknownSymbol: string, code: ValidationCode, field: string): ValidationIssue[] {
  return value === unknownSymbol ? [issue(code, field, `is ${unknownSymbol}: a value this reader does not know`)] : [];
}

function notNegative<E extends object>(event: E, fields: readonly (keyof E & string)[], code: ValidationCode): ValidationIssue[] {
  return fields.flatMap((field) => {
    const value = event[field];
    return typeof value === 'number' && value < 0 ? [issue(code, field, `is ${value}, below zero`)] : [];
  });
}

function plausibleTime(timestampMs: number, policy: ValidationPolicy): ValidationIssue[] {
  const { nowMs, maxFutureMs = 5 * 60_000, maxAgeMs = 7 * 86_400_000 } = policy;
  if (!Number.isFinite(timestampMs)) return [issue('MISSING_FIELD', 'timestamp', 'is not a number')];
  if (timestampMs > nowMs + maxFutureMs) {
    return [issue('TIMESTAMP_IN_FUTURE', 'timestamp', `is ${Math.round((timestampMs - nowMs) / 1000)}s ahead of now`)];
  }
  if (timestampMs < nowMs - maxAgeMs) {
    return [issue('TIMESTAMP_TOO_OLD', 'timestamp', `is ${Math.round((nowMs - timestampMs) / 3_600_000)}h before now`)];
  }
  return [];
}

function issue(code: ValidationCode, field: string, what: string): ValidationIssue {
  return { code, field, message: `${field} ${what}` };
}
