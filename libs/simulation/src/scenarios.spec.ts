import fc from 'fast-check';
import {
  validateEcommerceEvent,
  validateGameEvent,
  type EcommerceEvent,
  type GameEvent,
} from '@rta/event-schemas';
import { EcommerceScenario } from './ecommerce';
import { GameScenario } from './game';
import { Rng } from './rng';

const T0 = Date.parse('2026-03-01T00:00:00Z');

function take<E>(scenario: { next(t: number): E }, n: number): E[] {
  return Array.from({ length: n }, (_, i) => scenario.next(T0 + i));
}

function groupBy<E>(events: readonly E[], key: (e: E) => string): E[][] {
  const groups = new Map<string, E[]>();
  for (const e of events) groups.set(key(e), [...(groups.get(key(e)) ?? []), e]);
  return [...groups.values()];
}

describe('Rng', () => {
  it('repeats its sequence for a seed and draws valid v4 uuids', () => {
    const draw = (seed: number) => {
      const r = new Rng(seed);
      return [r.float(), r.int(1, 6), r.uuid()];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(new Rng(1).uuid()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('keeps ints in range and picks only keys that have weight', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -50, max: 50 }),
        fc.nat(100),
        (seed, min, span) => {
          const rng = new Rng(seed);
          const value = rng.int(min, min + span);
          expect(value).toBeGreaterThanOrEqual(min);
          expect(value).toBeLessThanOrEqual(min + span);
          expect(['a', 'c']).toContain(rng.weighted({ a: 1, b: 0, c: 2 }));
        },
      ),
    );
  });
});

describe('GameScenario', () => {
  const events = take(new GameScenario(new Rng(1), { players: 500 }), 30_000);

  it('produces only valid events, of every known type', () => {
    expect(events.flatMap((e) => validateGameEvent(e, { nowMs: T0 }))).toEqual([]);
    expect(new Set(events.map((e) => e.event_type)).size).toBe(11);
  });

  it("keeps each player's story coherent: join first, matches open and close, leave only from the lobby", () => {
    for (const story of groupBy(events, (e) => e.player_id)) {
      let online = false;
      let match: string | null = null;
      for (const e of story as GameEvent[]) {
        expect(e.event_type === 'player_join' ? !online : online).toBe(true);
        if (e.event_type === 'player_join') online = true;
        if (e.event_type === 'player_leave') {
          expect(match).toBeNull();
          online = false;
        }
        if (e.event_type === 'match_start') match = e.match_id;
        else expect(e.match_id).toBe(match);
        if (e.event_type === 'match_end') match = null;
      }
    }
  });

  it('is deterministic for a seed and handles 100,000 players', () => {
    const run = (seed: number) =>
      take(new GameScenario(new Rng(seed), { players: 100_000 }), 2_000);
    expect(run(5)).toEqual(run(5));
    expect(new Set(run(5).map((e) => e.player_id)).size).toBeGreaterThan(1_900);
  });
});

describe('EcommerceScenario', () => {
  const events = take(new EcommerceScenario(new Rng(2), { customers: 300 }), 30_000);

  it('produces only valid events, of every type it models', () => {
    expect(events.flatMap((e) => validateEcommerceEvent(e, { nowMs: T0 }))).toEqual([]);
    expect(new Set(events.map((e) => e.event_type))).toEqual(
      new Set([
        'user_login',
        'page_view',
        'search',
        'product_view',
        'item_click',
        'add_to_cart',
        'remove_from_cart',
        'purchase',
      ]),
    );
  });

  it('runs real sessions: a login opens each, purchases follow carts, money is exact', () => {
    for (const session of groupBy(events, (e) => e.session_id)) {
      const [first, ...rest] = session as EcommerceEvent[];
      expect(first?.event_type).toBe('user_login');
      expect(new Set(rest.map((e) => e.customer_id)).size).toBeLessThanOrEqual(1);
      let cart = 0;
      for (const e of rest) {
        if (e.event_type === 'add_to_cart') cart += 1;
        if (e.event_type === 'remove_from_cart' || e.event_type === 'purchase')
          expect(cart--).toBeGreaterThan(0);
        if (e.event_type === 'purchase')
          expect(e.amount_minor).toBe((e.price_minor as number) * (e.quantity as number));
      }
    }
  });
});
