import {
  ecommerceEvent,
  FIXED_NOW,
  gameEvent,
  KNOWN_ECOMMERCE_TYPES,
  KNOWN_GAME_TYPES,
} from './fixtures';
import { validateEcommerceEvent, validateGameEvent } from './validation';

const policy = { nowMs: FIXED_NOW };
const codes = (issues: { code: string; field: string }[]) =>
  issues.map((i) => `${i.code}:${i.field}`);

describe('validateGameEvent', () => {
  it.each(KNOWN_GAME_TYPES)('accepts a complete %s', (type) => {
    expect(validateGameEvent(gameEvent(type), policy)).toEqual([]);
  });

  it('names every problem of an event at once', () => {
    const bad = gameEvent('item_purchase', {
      player_id: ' ',
      region: 'UNKNOWN',
      price_minor: -5,
      currency: null,
    });
    expect(codes(validateGameEvent(bad, policy))).toEqual([
      'EMPTY_FIELD:player_id',
      'UNKNOWN_REGION:region',
      'MISSING_FIELD:currency',
      'NEGATIVE_AMOUNT:price_minor',
    ]);
  });

  it('flags event types this reader does not know (a newer writer enum symbol)', () => {
    expect(codes(validateGameEvent(gameEvent('unknown'), policy))).toEqual([
      'UNKNOWN_EVENT_TYPE:event_type',
    ]);
  });

  it('requires each type its payload', () => {
    expect(
      codes(validateGameEvent(gameEvent('enemy_defeated', { enemy_type: null }), policy)),
    ).toEqual(['MISSING_FIELD:enemy_type']);
    expect(codes(validateGameEvent(gameEvent('match_start', { match_id: '' }), policy))).toEqual([
      'EMPTY_FIELD:match_id',
    ]);
  });
});

describe('validateEcommerceEvent', () => {
  it.each(KNOWN_ECOMMERCE_TYPES)('accepts a complete %s', (type) => {
    expect(validateEcommerceEvent(ecommerceEvent(type), policy)).toEqual([]);
  });

  it('rejects negative money and quantities, unknown devices and missing ids', () => {
    const bad = ecommerceEvent('purchase', {
      amount_minor: -1,
      quantity: -2,
      device: 'unknown',
      session_id: '',
    });
    expect(codes(validateEcommerceEvent(bad, policy))).toEqual([
      'EMPTY_FIELD:session_id',
      'UNKNOWN_DEVICE:device',
      'NEGATIVE_AMOUNT:amount_minor',
      'NEGATIVE_QUANTITY:quantity',
    ]);
  });

  it('checks the time against the caller-given now, with skew and age limits', () => {
    const at = (timestamp: number, extra = {}) =>
      codes(
        validateEcommerceEvent(ecommerceEvent('search', { timestamp }), { ...policy, ...extra }),
      );
    expect(at(FIXED_NOW + 5 * 60_000)).toEqual([]);
    expect(at(FIXED_NOW + 5 * 60_000 + 1)).toEqual(['TIMESTAMP_IN_FUTURE:timestamp']);
    expect(at(FIXED_NOW - 7 * 86_400_000)).toEqual([]);
    expect(at(FIXED_NOW - 7 * 86_400_000 - 1)).toEqual(['TIMESTAMP_TOO_OLD:timestamp']);
    expect(at(FIXED_NOW - 3_600_000, { maxAgeMs: 60_000 })).toEqual([
      'TIMESTAMP_TOO_OLD:timestamp',
    ]);
    expect(at(Number.NaN)).toEqual(['MISSING_FIELD:timestamp']);
  });
});
