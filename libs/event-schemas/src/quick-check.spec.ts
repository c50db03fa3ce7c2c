import fc from 'fast-check';
import {
  ecommerceEvent,
  FIXED_NOW,
  gameEvent,
  KNOWN_ECOMMERCE_TYPES,
  KNOWN_GAME_TYPES,
} from './fixtures';
import {
  ecommerceIssues,
  gameIssues,
  validateEcommerceEvent,
  validateGameEvent,
  ValidationPolicy,
} from './validation';

/**
 * The compiled check is only a shortcut: validation says exactly what the rules say, for events
 * that are fine and for every way of breaking one.
 */
const oddValue = fc.constantFrom<unknown>(
  null,
  undefined,
  '',
  ' ',
  '\u00a0',
  '\u2003x',
  ' x ',
  'x',
  'é',
  'unknown',
  'UNKNOWN',
  -1,
  -0.5,
  0,
  7,
  Number.NaN,
  true,
);
const HOUR = 3_600_000;
const timestamp = fc.oneof(
  fc.constantFrom(FIXED_NOW, FIXED_NOW + 5 * 60_000, FIXED_NOW + 5 * 60_000 + 1, Number.NaN),
  fc.constantFrom(FIXED_NOW - 7 * 24 * HOUR, FIXED_NOW - 7 * 24 * HOUR - 1, Infinity),
  fc.integer({ min: FIXED_NOW - 200 * HOUR, max: FIXED_NOW + HOUR }),
);
const policy: fc.Arbitrary<ValidationPolicy> = fc.record(
  {
    nowMs: fc.constant(FIXED_NOW),
    maxFutureMs: fc.constantFrom(undefined, 0, 60_000),
    maxAgeMs: fc.constantFrom(undefined, HOUR, Infinity),
  },
  { requiredKeys: ['nowMs'] },
);

function broken<E extends object>(base: fc.Arbitrary<E>): fc.Arbitrary<E> {
  return fc
    .tuple(base, fc.array(fc.tuple(fc.nat(), oddValue), { maxLength: 4 }), timestamp)
    .map(([event, changes, ts]) => {
      const fields = Object.keys(event);
      const copy: Record<string, unknown> = { ...event, timestamp: ts };
      for (const [at, value] of changes) copy[fields[at % fields.length] as string] = value;
      return copy as E;
    });
}

type Validator<E> = (event: E, policy: ValidationPolicy) => unknown;

function agreesWithRules<E extends object>(
  events: fc.Arbitrary<E>,
  validate: Validator<E>,
  rules: Validator<E>,
): void {
  fc.assert(
    fc.property(broken(events), policy, (event, p) => {
      expect(validate(event, p)).toEqual(rules(event, p));
    }),
    { numRuns: 5_000 },
  );
}

it('says of game events what the rules say', () => {
  const types = fc.constantFrom(...KNOWN_GAME_TYPES, 'unknown' as const);
  agreesWithRules(
    types.map((t) => gameEvent(t)),
    validateGameEvent,
    gameIssues,
  );
});

it('says of e-commerce events what the rules say', () => {
  const types = fc.constantFrom(...KNOWN_ECOMMERCE_TYPES, 'unknown' as const);
  agreesWithRules(
    types.map((t) => ecommerceEvent(t)),
    validateEcommerceEvent,
    ecommerceIssues,
  );
});
