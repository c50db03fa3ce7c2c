import { SinkError } from '@rta/sink-core';
import type { TableSpec, ValueColumn } from './table-spec';
import { validateSpec, validateSpecs } from './validate-spec';

const SPEC: TableSpec = {
  metric: 'visits',
  table: 'visits',
  keys: [{ column: 'page', field: 'page', type: 'text' }],
  values: [
    { column: 'views', field: 'views', type: 'bigint' },
    { column: 'first_view', field: 'first_view', type: 'timestamptz', rollup: 'min' },
    { column: 'last_view', field: 'last_view', type: 'timestamptz', rollup: 'max' },
  ],
};

const withValue = (value: Partial<ValueColumn>): TableSpec => ({
  ...SPEC,
  values: [...SPEC.values, { column: 'extra', field: 'extra', type: 'text', ...value }],
});

function failure(spec: TableSpec): SinkError {
  try {
    validateSpec(spec);
  } catch (error) {
    return error as SinkError;
  }
  throw new Error('expected the spec to be refused');
}

describe('validateSpec', () => {
  it('accepts a spec whose every value has a rollup, by default or stated', () => {
    expect(() => validateSpec(SPEC)).not.toThrow();
  });

  it('refuses names that are no identifiers, a table name too long for its base table', () => {
    expect(failure({ ...SPEC, table: 'visits; DROP TABLE x' })).toMatchObject({
      code: 'BAD_IDENTIFIER',
      details: { metric: 'visits', value: 'visits; DROP TABLE x' },
    });
    expect(failure({ ...SPEC, table: 'x'.repeat(51) }).code).toBe('BAD_IDENTIFIER');
  });

  it('refuses a value without a rollup where none is the default, saying which to choose', () => {
    expect(failure(withValue({ type: 'jsonb' })).message).toMatch(
      /metric visits: value extra \(jsonb\) needs a rollup.*'onePartition'/,
    );
    expect(failure(withValue({ type: 'timestamptz' })).code).toBe('BAD_SPEC');
  });

  it('refuses rollups a type has not: summing text, the max of jsonb', () => {
    expect(failure(withValue({ rollup: 'sum' })).message).toMatch(/\(text\) cannot be summed/);
    expect(failure(withValue({ type: 'jsonb', rollup: 'max' })).message).toMatch(/onePartition/);
  });

  it('refuses a column named twice or with a reserved name', () => {
    expect(failure(withValue({ column: 'views' })).message).toMatch(/column views is named twice/);
    expect(failure(withValue({ column: 'version', rollup: 'min' })).message).toMatch(/reserved/);
  });

  it('refuses derived columns over values that are missing or not summed', () => {
    const ratio = { column: 'r', kind: 'ratio', numerator: 'views', denominator: 'no' } as const;
    const derived = [{ ...ratio, decimals: 1 }];
    expect(failure({ ...SPEC, derived }).message).toMatch(/r \(ratio\) needs no, a summed value/);
    const seconds = { column: 's', kind: 'seconds', from: 'views', to: 'last_view' } as const;
    expect(failure({ ...SPEC, derived: [seconds] }).message).toMatch(/needs views, a timestamptz/);
    const positive = { column: 'p', kind: 'isPositive', of: 'first_view' } as const;
    expect(failure({ ...SPEC, derived: [positive] }).message).toMatch(/needs first_view, a summed/);
  });

  it('refuses a ranking by anything but a number value, or without a positive limit', () => {
    const ranked = (view: string, by: string, limit: number) => ({
      ...SPEC,
      ranking: { view, by, limit },
    });
    expect(failure(ranked('top', 'page', 3)).message).toMatch(/not a number value/);
    expect(failure(ranked('top', 'views', 0)).message).toMatch(/positive integer limit/);
    expect(failure(ranked('visits', 'views', 3)).message).toMatch(/the metric view's name/);
  });

  it('refuses two metrics on one table', () => {
    expect(() => validateSpecs([SPEC, { ...SPEC, metric: 'other' }])).toThrow(
      /metric other: visits is also the table or view of visits/,
    );
  });
});
