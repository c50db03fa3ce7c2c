import type { AnyAggregator } from './aggregators/aggregator';

/**
 * Why `parse` refused an event: these, or an index ≥ 0 naming the aggregate with an invalid
 * value. (It returns true when the event counts and false when the filter drops it: the hot
 * path compares with literals, not with imported bindings, which a CommonJS transform turns
 * into getter calls.)
 */
export const INVALID_TIME = -1;
export const INVALID_KEY = -2;

export interface ParsedEvent {
  keyId: string;
  readonly values: unknown[];
}

/**
 * One metric's per-event work as straight-line code. Shared helpers that loop over every
 * metric's aggregators see a different closure at each call (megamorphic: no inlining); a
 * function generated per metric calls the same few closures every time, so the JIT inlines them.
 * Behaviour is exactly the loops': `parse` applies the filter, then the time, key and value
 * checks, writing nothing but `into`; `add` folds the parsed values into a cell.
 */
export interface CompiledMetric<E> {
  readonly parse: (event: E, timeMs: number, into: ParsedEvent) => boolean | number;
  /**
   * Adds one event's parsed values (undefined: that aggregator skips the event) and counts it in
   * the cell's version.
   */
  readonly add: (cell: { accs: unknown[]; version: number }, values: readonly unknown[]) => void;
}

type Where<E> = ((event: E) => boolean) | undefined;
type KeyId<E> = (event: E) => string | undefined;

/** How a metric keys its events: by field names (read inline) or by its own function. */
export type KeySource<E> =
  | {
      readonly fields: readonly string[];
      readonly scalarId: (value: unknown) => string | undefined;
    }
  | { readonly keyId: KeyId<E> };

/**
 * `name` (a validated metric name) makes each source unique: V8 caches compiled sources, and
 * two metrics sharing one function would share its call-site feedback again.
 */
export function compileMetric<E>(
  name: string,
  aggregates: readonly (readonly [string, AnyAggregator<E>])[],
  where: Where<E>,
  key: KeySource<E>,
): CompiledMetric<E> {
  if (!/^\w+$/.test(name)) throw new RangeError(`metric name ${name} is not a word`);
  const aggs = aggregates.map(([, agg]) => agg);
  const make = (body: string) =>
    new Function(
      'where',
      'keyId',
      'scalarId',
      ...aggs.map((_, i) => `a${i}`),
      `// metric ${name}\n${body}`,
    ) as (...args: unknown[]) => never;
  const args =
    'fields' in key
      ? [where, undefined, key.scalarId, ...aggs]
      : [where, key.keyId, undefined, ...aggs];
  const keyLines =
    'fields' in key
      ? fieldKeySource(key.fields)
      : [`  const key = keyId(event);`, `  if (key === undefined) return ${INVALID_KEY};`];
  return {
    parse: make(parseSource(aggs.length, where !== undefined, keyLines))(...args),
    add: make(addSource(aggs.length))(...args),
  };
}

/**
 * The key id as `Metric.keyId` builds it (see metric.ts), with each field read by a literal name.
 */
function fieldKeySource(fields: readonly string[]): string[] {
  if (fields.length === 0) return [`  const key = '';`];
  const lines: string[] = [];
  fields.forEach((field, i) =>
    lines.push(
      `  const f${i} = event[${JSON.stringify(field)}];`,
      `  const k${i} = typeof f${i} === 'string' ? f${i} : scalarId(f${i});`,
      `  if (k${i} === undefined) return ${INVALID_KEY};`,
    ),
  );
  lines.push(`  const key = ${fields.map((_, i) => `k${i}`).join(" + '\u001f' + ")};`);
  return lines;
}

function parseSource(count: number, filtered: boolean, keyLines: readonly string[]): string {
  const lines = ['return function parse(event, timeMs, into) {'];
  if (filtered) lines.push(`  if (!where(event)) return false;`);
  lines.push(`  if (timeMs !== timeMs) return ${INVALID_TIME};`, ...keyLines);
  for (let i = 0; i < count; i += 1)
    lines.push(
      `  const v${i} = a${i}.select(event);`,
      `  if (v${i} !== undefined && a${i}.check(v${i}) !== undefined) return ${i};`,
    );
  for (let i = 0; i < count; i += 1) lines.push(`  into.values[${i}] = v${i};`);
  lines.push('  into.keyId = key;', '  return true;', '};');
  return lines.join('\n');
}

function addSource(count: number): string {
  const lines = ['return function add(cell, values) {', '  const accs = cell.accs;', '  let v;'];
  for (let i = 0; i < count; i += 1)
    lines.push(
      `  v = values[${i}];`,
      `  if (v !== undefined) accs[${i}] = a${i}.add(accs[${i}], v);`,
    );
  lines.push('  cell.version += 1;', '};');
  return lines.join('\n');
}
