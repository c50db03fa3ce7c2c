import type {
  EcommerceEvent,
  EcommerceEventType,
  GameEvent,
  GameEventType,
} from '@rta/event-schemas';

/** A decoded event, tagged with the stream whose schema wrote it (a topic may hold either). */
export type TailEvent =
  | { readonly stream: 'game'; readonly event: GameEvent }
  | { readonly stream: 'ecommerce'; readonly event: EcommerceEvent };

/**
 * A field the event type should carry but this event lacks (the validator would reject it; the tail
 * still shows it).
 */
const MISSING = '?';

/** `12:00:03.120 player-42 (EU) moved north`: event time (UTC), who, what. */
export function formatLine(e: TailEvent): string {
  return e.stream === 'game'
    ? `${clock(e.event.timestamp)} ${e.event.player_id} (${e.event.region}) ${describeGame(e.event)}`
    : `${clock(e.event.timestamp)} ${e.event.customer_id} (${e.event.subdivision ?? e.event.location}, ${e.event.device}) ${describeEcommerce(e.event)}`;
}

/**
 * The event as decoded, one JSON object (for jq and scripts); longs are plain numbers, as avsc
 * reads them.
 */
export function formatJson(e: TailEvent): string {
  return JSON.stringify(e.event);
}

/** Time of day of the event time, in UTC so that every reader (and test) sees the same line. */
export function clock(timestampMs: number): string {
  const date = new Date(timestampMs);
  return Number.isNaN(date.getTime()) ? '??:??:??.???' : date.toISOString().slice(11, 23);
}

/**
 * Integer minor units as `4.99 EUR` (`500 JPY`, `1.250 KWD`): exact, no float rounding of cents.
 */
export function money(minor: number | null, currency: string | null): string {
  if (minor === null) return MISSING;
  const digits = currency ? minorDigits(currency) : 2;
  const unit = 10 ** digits;
  const abs = Math.abs(minor);
  const fraction = digits > 0 ? `.${String(abs % unit).padStart(digits, '0')}` : '';
  return `${minor < 0 ? '-' : ''}${Math.floor(abs / unit)}${fraction} ${currency ?? MISSING}`;
}

const digitsCache = new Map<string, number>();

/** ISO 4217 minor digits from Intl (2 for USD/EUR, 0 for JPY); 2 for a code Intl does not know. */
function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

const or = (value: string | null): string => value ?? MISSING;
const on = (map: string | null): string => (map ? ` on ${map}` : '');
/** A newer writer's event type this reader maps to `unknown` (the enum default). */
const UNKNOWN_TYPE = 'did something this schema version does not know (event_type unknown)';

const MATCH_OUTCOME: Readonly<Record<string, string>> = { win: 'won', loss: 'lost', draw: 'drew' };

function matchEnd(e: GameEvent): string {
  const verb = MATCH_OUTCOME[e.outcome ?? ''];
  const score = e.score === null ? '' : ` with ${e.score} points`;
  return verb
    ? `${verb} the match${on(e.map)}${score}`
    : `ended the match${on(e.map)} (${or(e.outcome)})${score}`;
}

/**
 * One sentence per game event type, from the payload fields that type carries
 * (libs/event-schemas/README.md).
 */
const GAME: Readonly<Record<GameEventType, (e: GameEvent) => string>> = {
  player_join: (e) => `joined${e.platform ? ` on ${e.platform}` : ''} at level ${e.player_level}`,
  player_leave: (e) => `left at level ${e.player_level}`,
  match_start: (e) => `started a match${on(e.map)}`,
  match_end: matchEnd,
  enemy_defeated: (e) => `defeated ${or(e.enemy_type)}`,
  item_purchase: (e) => `bought ${or(e.item_id)} for ${money(e.price_minor, e.currency)}`,
  level_up: (e) => `reached level ${e.player_level}`,
  player_move: (e) => `moved ${or(e.direction)}`,
  player_attack: (e) => `attacked ${or(e.target)}`,
  item_collect: (e) => `picked up ${or(e.item_id)}`,
  item_use: (e) => `used ${or(e.item_id)}`,
  unknown: () => UNKNOWN_TYPE,
};

export function describeGame(e: GameEvent): string {
  return (GAME[e.event_type] ?? GAME.unknown)(e);
}

/** `prod-0042 (books)`, with `2 x ` in front when more than one. */
function product(e: EcommerceEvent, withQuantity = false): string {
  const count = withQuantity && e.quantity !== null && e.quantity !== 1 ? `${e.quantity} x ` : '';
  return `${count}${or(e.product_id)}${e.product_category ? ` (${e.product_category})` : ''}`;
}

function pageView(e: EcommerceEvent): string {
  const time = e.duration_ms === null ? '' : ` for ${Number((e.duration_ms / 1000).toFixed(1))}s`;
  return `viewed page ${or(e.page)}${time}${e.referrer ? ` (from ${e.referrer})` : ''}`;
}

function search(e: EcommerceEvent): string {
  const results =
    e.results_count === null
      ? ''
      : `: ${e.results_count} result${e.results_count === 1 ? '' : 's'}`;
  return `searched "${or(e.search_query)}"${results}${e.clicked_position === null ? '' : `, clicked #${e.clicked_position}`}`;
}

function addToCart(e: EcommerceEvent): string {
  const each = e.quantity !== null && e.quantity > 1 ? ' each' : '';
  return `added ${product(e, true)} to the cart${e.price_minor === null ? '' : ` at ${money(e.price_minor, e.currency)}${each}`}`;
}

/** The order total is amount_minor (price × quantity), the figure every revenue metric sums. */
function purchase(e: EcommerceEvent): string {
  const paid = e.payment_method ? ` with ${e.payment_method}` : '';
  return `bought ${product(e, true)} for ${money(e.amount_minor, e.currency)}${paid}${e.coupon_code ? ` (coupon ${e.coupon_code})` : ''}`;
}

/** One sentence per e-commerce event type. */
const ECOMMERCE: Readonly<Record<EcommerceEventType, (e: EcommerceEvent) => string>> = {
  user_login: (e) =>
    `${e.success === false ? 'failed to log in' : 'logged in'}${e.login_method ? ` with ${e.login_method}` : ''}`,
  page_view: pageView,
  product_view: (e) => `viewed ${product(e)}`,
  item_click: (e) =>
    `clicked ${product(e)}${e.position === null ? '' : ` at position ${e.position}`}`,
  search,
  add_to_cart: addToCart,
  remove_from_cart: (e) => `removed ${product(e, true)} from the cart`,
  purchase,
  unknown: () => UNKNOWN_TYPE,
};

export function describeEcommerce(e: EcommerceEvent): string {
  return (ECOMMERCE[e.event_type] ?? ECOMMERCE.unknown)(e);
}
