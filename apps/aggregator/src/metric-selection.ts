import { ECOMMERCE_CATALOG, GAME_CATALOG } from '@rta/metrics-catalog';

export type StreamName = 'game' | 'ecommerce';

const CATALOG_NAMES: Readonly<Record<StreamName, readonly string[]>> = {
  game: GAME_CATALOG.map((e) => e.spec.name),
  ecommerce: ECOMMERCE_CATALOG.map((e) => e.spec.name),
};

export interface MetricSelection {
  /** Streams to consume: the chosen ones that keep at least one metric. */
  readonly streams: readonly StreamName[];
  /** Undefined: every catalog metric of those streams. */
  readonly metrics: ReadonlySet<string> | undefined;
}

/**
 * `--metrics a,b` narrows `--streams` to exactly the metrics named; a stream left without a
 * metric is not consumed. Unknown names, names of a stream `--streams` leaves out, and
 * overrides (`name.setting=value`: old deployments set AGGREGATOR_METRICS to those) are problems.
 */
export function selectMetrics(
  chosen: readonly StreamName[],
  given: readonly string[] | undefined,
  problems: string[],
): MetricSelection {
  if (given === undefined) return { streams: chosen, metrics: undefined };
  const overrides = given.filter((n) => n.includes('='));
  if (overrides.length > 0)
    problems.push(
      `--metrics / AGGREGATOR_METRICS: ${overrides.join(', ')} look like overrides; those go to --metric or AGGREGATOR_METRIC_OVERRIDES now`,
    );
  const names = given.filter((n) => !n.includes('='));
  const known = [...CATALOG_NAMES.game, ...CATALOG_NAMES.ecommerce];
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0)
    problems.push(`--metrics: unknown metric ${unknown.join(', ')} (known: ${known.join(', ')})`);
  const outside = names.filter(
    (n) => known.includes(n) && !chosen.some((s) => CATALOG_NAMES[s].includes(n)),
  );
  if (outside.length > 0)
    problems.push(
      `--metrics: ${outside.join(', ')} belong to a stream --streams leaves out (${chosen.join(', ')})`,
    );
  if (names.length === 0)
    problems.push('--metrics: name at least one metric (or leave the flag out for all of them)');
  return {
    streams: chosen.filter((s) => CATALOG_NAMES[s].some((n) => names.includes(n))),
    metrics: new Set(names),
  };
}
