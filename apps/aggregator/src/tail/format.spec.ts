import {
  ECOMMERCE_EVENT_TYPE_SYMBOLS,
  GAME_EVENT_TYPE_SYMBOLS,
  type EcommerceEvent,
  type GameEvent,
} from '@rta/event-schemas';
import { ecommerceEvent, gameEvent } from '@rta/event-schemas/testing';
import { clock, describeEcommerce, describeGame, formatJson, formatLine, money } from './format';

/** 12:00:03.120 UTC, the fixtures' shape, one player or customer. */
const AT = Date.UTC(2026, 2, 1, 12, 0, 3, 120);
const game = (type: GameEvent['event_type'], o: Partial<GameEvent> = {}) =>
  gameEvent(type, { player_id: 'p-12', timestamp: AT, platform: 'pc', ...o });
const shop = (type: EcommerceEvent['event_type'], o: Partial<EcommerceEvent> = {}) =>
  ecommerceEvent(type, { timestamp: AT, ...o });

describe('tail: one sentence per game event type', () => {
  const cases: [GameEvent, string][] = [
    [game('player_join'), 'joined on pc at level 17'],
    [game('player_join', { platform: null }), 'joined at level 17'], // v1 data has no platform
    [game('player_leave'), 'left at level 17'],
    [game('match_start'), 'started a match on desert'],
    [game('match_end'), 'won the match on desert with 1200 points'],
    [game('match_end', { outcome: 'loss', score: 0 }), 'lost the match on desert with 0 points'],
    [game('match_end', { outcome: 'draw', map: null, score: null }), 'drew the match'],
    [
      game('match_end', { outcome: 'forfeit' }),
      'ended the match on desert (forfeit) with 1200 points',
    ],
    [game('enemy_defeated'), 'defeated dragon'],
    [
      game('item_purchase', { item_id: 'sword', price_minor: 499, currency: 'EUR' }),
      'bought sword for 4.99 EUR',
    ],
    [game('level_up', { player_level: 18 }), 'reached level 18'],
    [game('player_move'), 'moved north'],
    [game('player_attack'), 'attacked dragon'],
    [game('item_collect', { item_id: 'gem' }), 'picked up gem'],
    [game('item_use'), 'used potion'],
    [game('unknown'), 'did something this schema version does not know (event_type unknown)'],
  ];

  it.each(cases.map(([event, sentence]) => [event.event_type, sentence, event] as const))(
    '%s: "%s"',
    (_type, sentence, event) => {
      expect(describeGame(event)).toBe(sentence);
    },
  );

  it('covers every game event type of the schema', () => {
    expect(new Set(cases.map(([e]) => e.event_type))).toEqual(new Set(GAME_EVENT_TYPE_SYMBOLS));
  });

  it('prints the time (UTC), the player and region, then the sentence', () => {
    expect(formatLine({ stream: 'game', event: game('player_move') })).toBe(
      '12:00:03.120 p-12 (EU) moved north',
    );
  });

  it('shows a payload field the type needs but the event lacks as ?, instead of failing', () => {
    expect(describeGame(game('player_move', { direction: null }))).toBe('moved ?');
    expect(
      describeGame(game('item_purchase', { item_id: null, price_minor: null, currency: null })),
    ).toBe('bought ? for ?');
  });
});

describe('tail: one sentence per e-commerce event type', () => {
  const cases: [EcommerceEvent, string][] = [
    [shop('user_login'), 'logged in with password'],
    [
      shop('user_login', { success: false, login_method: 'google' }),
      'failed to log in with google',
    ],
    [shop('page_view'), 'viewed page /home for 12.5s (from google)'],
    [shop('page_view', { duration_ms: null, referrer: null }), 'viewed page /home'],
    [shop('product_view'), 'viewed prod-laptop-001 (electronics)'],
    [shop('item_click'), 'clicked prod-laptop-001 (electronics) at position 3'],
    [shop('search'), 'searched "laptop": 42 results, clicked #2'],
    [shop('search', { results_count: 1, clicked_position: null }), 'searched "laptop": 1 result'],
    [shop('add_to_cart'), 'added prod-laptop-001 (electronics) to the cart at 999.99 USD'],
    [
      shop('add_to_cart', { quantity: 3, price_minor: 1_299 }),
      'added 3 x prod-laptop-001 (electronics) to the cart at 12.99 USD each',
    ],
    [shop('remove_from_cart'), 'removed prod-laptop-001 (electronics) from the cart'],
    [shop('purchase'), 'bought 2 x prod-laptop-001 (electronics) for 1999.98 USD with card'],
    [
      shop('purchase', {
        quantity: 1,
        amount_minor: 99_999,
        coupon_code: 'SPRING10',
        payment_method: null,
      }),
      'bought prod-laptop-001 (electronics) for 999.99 USD (coupon SPRING10)',
    ],
    [shop('unknown'), 'did something this schema version does not know (event_type unknown)'],
  ];

  it.each(cases.map(([event, sentence]) => [event.event_type, sentence, event] as const))(
    '%s: "%s"',
    (_type, sentence, event) => {
      expect(describeEcommerce(event)).toBe(sentence);
    },
  );

  it('covers every e-commerce event type of the schema', () => {
    expect(new Set(cases.map(([e]) => e.event_type))).toEqual(
      new Set(ECOMMERCE_EVENT_TYPE_SYMBOLS),
    );
  });

  it('prints the time, the customer with state (or country) and device, then the sentence', () => {
    expect(formatLine({ stream: 'ecommerce', event: shop('purchase') })).toBe(
      '12:00:03.120 cust-001 (US-NY, mobile) bought 2 x prod-laptop-001 (electronics) for 1999.98 USD with card',
    );
    expect(
      formatLine({
        stream: 'ecommerce',
        event: shop('product_view', { location: 'DE', subdivision: null, device: 'desktop' }),
      }),
    ).toBe('12:00:03.120 cust-001 (DE, desktop) viewed prod-laptop-001 (electronics)');
  });
});

describe('tail: money, time and JSON', () => {
  it("formats integer minor units exactly, with the currency's own minor digits", () => {
    expect(money(499, 'EUR')).toBe('4.99 EUR');
    expect(money(5, 'USD')).toBe('0.05 USD');
    expect(money(123_456_789_012, 'USD')).toBe('1234567890.12 USD'); // no float rounding
    expect(money(500, 'JPY')).toBe('500 JPY');
    expect(money(1_250, 'KWD')).toBe('1.250 KWD');
    expect(money(-499, 'EUR')).toBe('-4.99 EUR');
    expect(money(499, 'XYZ?')).toBe('4.99 XYZ?'); // a code Intl refuses: two digits
    expect(money(499, null)).toBe('4.99 ?');
    expect(money(null, 'EUR')).toBe('?');
  });

  it('prints the time of day of the event time in UTC, and a placeholder for an impossible one', () => {
    expect(clock(AT)).toBe('12:00:03.120');
    expect(clock(0)).toBe('00:00:00.000');
    expect(clock(Number.MAX_SAFE_INTEGER)).toBe('??:??:??.???');
  });

  it('prints --json as the decoded record, one object on one line', () => {
    const event = shop('purchase', { coupon_code: 'SPRING10' });
    const line = formatJson({ stream: 'ecommerce', event });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(event);
  });
});
