import { compileQuickCheck } from './quick-check';
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

const GAME_REQUIRED = ['event_id', 'player_id'] as const;
const ECOMMERCE_REQUIRED = ['event_id', 'customer_id', 'session_id', 'location'] as const;
const GAME_AMOUNTS = ['price_minor'] as const;
const ECOMMERCE_AMOUNTS = ['price_minor', 'amount_minor'] as const;
const QUANTITIES = ['quantity'] as const;
const NONE = [] as const;
const DEFAULT_MAX_FUTURE_MS = 5 * 60_000;
const DEFAULT_MAX_AGE_MS = 7 * 86_400_000;

const gameAtAGlance = compileQuickCheck({
  required: GAME_REQUIRED,
  known: [
    ['event_type', 'unknown'],
    ['region', 'UNKNOWN'],
  ],
  payload: GAME_PAYLOAD,
  notNegative: GAME_AMOUNTS,
});
const ecommerceAtAGlance = compileQuickCheck({
  required: ECOMMERCE_REQUIRED,
  known: [
    ['event_type', 'unknown'],
    ['device', 'unknown'],
  ],
  payload: ECOMMERCE_PAYLOAD,
  notNegative: [...ECOMMERCE_AMOUNTS, ...QUANTITIES],
});

/** Every problem of the event, in the order the checks run; none: an empty list. */
export function validateGameEvent(event: GameEvent, policy: ValidationPolicy): ValidationIssue[] {
  // The hot path: a valid event passes one compiled check and allocates the empty list only.
  if (gameAtAGlance(event) && timeIsPlausible(event.timestamp, policy)) return [];
  return gameIssues(event, policy);
}

export function validateEcommerceEvent(
  event: EcommerceEvent,
  policy: ValidationPolicy,
): ValidationIssue[] {
  if (ecommerceAtAGlance(event) && timeIsPlausible(event.timestamp, policy)) return [];
  return ecommerceIssues(event, policy);
}

/** What `validateGameEvent` says, found rule by rule (exported for its tests). */
export function gameIssues(event: GameEvent, policy: ValidationPolicy): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  requireText(issues, event, GAME_REQUIRED);
  known(issues, event.event_type, 'unknown', 'UNKNOWN_EVENT_TYPE', 'event_type');
  known(issues, event.region, 'UNKNOWN', 'UNKNOWN_REGION', 'region');
  requireText(issues, event, GAME_PAYLOAD[event.event_type] ?? NONE);
  notNegative(issues, event, GAME_AMOUNTS, 'NEGATIVE_AMOUNT');
  plausibleTime(issues, event.timestamp, policy);
  return issues;
}

/** What `validateEcommerceEvent` says, found rule by rule (exported for its tests). */
export function ecommerceIssues(
  event: EcommerceEvent,
  policy: ValidationPolicy,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  requireText(issues, event, ECOMMERCE_REQUIRED);
  known(issues, event.event_type, 'unknown', 'UNKNOWN_EVENT_TYPE', 'event_type');
  known(issues, event.device, 'unknown', 'UNKNOWN_DEVICE', 'device');
  requireText(issues, event, ECOMMERCE_PAYLOAD[event.event_type] ?? NONE);
  notNegative(issues, event, ECOMMERCE_AMOUNTS, 'NEGATIVE_AMOUNT');
  notNegative(issues, event, QUANTITIES, 'NEGATIVE_QUANTITY');
  plausibleTime(issues, event.timestamp, policy);
  return issues;
}

function requireText<E extends object>(
  issues: ValidationIssue[],
  event: E,
  fields: readonly (keyof E & string)[],
): void {
  for (const field of fields) {
    const value = event[field];
    if (value === null || value === undefined)
      issues.push(issue('MISSING_FIELD', field, 'is required'));
    else if (typeof value === 'string' && value.trim() === '')
      issues.push(issue('EMPTY_FIELD', field, 'is empty'));
  }
}

function known(
  issues: ValidationIssue[],
  value: string,
  unknownSymbol: string,
  code: ValidationCode,
  field: string,
): void {
  if (value === unknownSymbol)
    issues.push(issue(code, field, `is ${unknownSymbol}: a value this reader does not know`));
}

function notNegative<E extends object>(
  issues: ValidationIssue[],
  event: E,
  fields: readonly (keyof E & string)[],
  code: ValidationCode,
): void {
  for (const field of fields) {
    const value = event[field];
    if (typeof value === 'number' && value < 0)
      issues.push(issue(code, field, `is ${value}, below zero`));
  }
}

/** `plausibleTime` finds nothing. */
function timeIsPlausible(timestampMs: number, policy: ValidationPolicy): boolean {
  const { nowMs, maxFutureMs = DEFAULT_MAX_FUTURE_MS, maxAgeMs = DEFAULT_MAX_AGE_MS } = policy;
  return (
    Number.isFinite(timestampMs) &&
    !(timestampMs > nowMs + maxFutureMs) &&
    !(timestampMs < nowMs - maxAgeMs)
  );
}

function plausibleTime(
  issues: ValidationIssue[],
  timestampMs: number,
  policy: ValidationPolicy,
): void {
  const { nowMs, maxFutureMs = DEFAULT_MAX_FUTURE_MS, maxAgeMs = DEFAULT_MAX_AGE_MS } = policy;
  if (!Number.isFinite(timestampMs))
    issues.push(issue('MISSING_FIELD', 'timestamp', 'is not a number'));
  else if (timestampMs > nowMs + maxFutureMs)
    issues.push(
      issue(
        'TIMESTAMP_IN_FUTURE',
        'timestamp',
        `is ${Math.round((timestampMs - nowMs) / 1000)}s ahead of now`,
      ),
    );
  else if (timestampMs < nowMs - maxAgeMs)
    issues.push(
      issue(
        'TIMESTAMP_TOO_OLD',
        'timestamp',
        `is ${Math.round((nowMs - timestampMs) / 3_600_000)}h before now`,
      ),
    );
}

function issue(code: ValidationCode, field: string, what: string): ValidationIssue {
  return { code, field, message: `${field} ${what}` };
}
