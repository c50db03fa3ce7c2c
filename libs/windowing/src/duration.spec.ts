import fc from 'fast-check';
import { InvalidDurationError, toMillis } from './index';

describe('toMillis', () => {
  it.each([
    [0, 0],
    [250, 250],
    ['0ms', 0],
    ['500ms', 500],
    ['30s', 30_000],
    ['1m', 60_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
  ])('%p is %p ms', (input, expected) => {
    expect(toMillis(input)).toBe(expected);
  });

  it.each([-1, 1.5, Number.NaN, Infinity, '', '1', '1.5s', '-1m', '1w', 'm', '1 m x'])(
    'rejects %p with a typed error',
    (input) => {
      expect(() => toMillis(input as never)).toThrow(InvalidDurationError);
    },
  );

  it('agrees with unit arithmetic for every unit and amount', () => {
    const units = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5 } as const;
    fc.assert(
      fc.property(
        fc.nat({ max: 100_000 }),
        fc.constantFrom(...Object.keys(units)),
        (amount, unit) => {
          expect(toMillis(`${amount}${unit}`)).toBe(amount * units[unit as keyof typeof units]);
        },
      ),
    );
  });
});
