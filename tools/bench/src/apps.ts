import { App, operationsUrlOf, startApp as start, stopApp, until } from '@rta/app-processes';

export { operationsUrlOf, until };
export type { App };

/**
 * Node flags for the aggregator's processes (e.g. `--cpu-prof --cpu-prof-dir=tmp/prof` to profile a
 * run).
 */
const AGGREGATOR_NODE_ARGS = (process.env['AGGREGATOR_NODE_ARGS'] ?? '')
  .split(' ')
  .filter((a) => a !== '');

/** An app as a process, keeping only the end of its output (long runs). */
export const startApp = (app: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
  start(app, args, {
    env,
    keepChars: 20_000,
    nodeArgs: app === 'aggregator' ? AGGREGATOR_NODE_ARGS : [],
  });
export const stop = (app: App) => stopApp(app);

type Series = {
  name: string;
  values: { value: number; labels: Record<string, string | number>; metricName?: string }[];
}[];

/**
 * One reading of an app's /metrics.json, with helpers to sum a series and read histogram buckets.
 */
export class Reading {
  constructor(
    readonly atMs: number,
    private readonly series: Series,
  ) {}

  static async of(url: string): Promise<Reading> {
    const response = await fetch(`${url}/metrics.json`, { signal: AbortSignal.timeout(5_000) });
    return new Reading(Date.now(), (await response.json()) as Series);
  }

  sum(name: string): number {
    return (this.series.find((s) => s.name === name)?.values ?? [])
      .filter((v) => !v.metricName || v.metricName === name)
      .reduce((n, v) => n + v.value, 0);
  }

  /** The smallest sample of a series (NaN when it has none). */
  min(name: string): number {
    const values = (this.series.find((s) => s.name === name)?.values ?? []).map((v) => v.value);
    return values.length > 0 ? Math.min(...values) : Number.NaN;
  }

  /**
   * The samples of `family` named `metricName` (e.g. a histogram's `_sum`) whose labels include
   * `labels`, added up.
   */
  sample(
    family: string,
    metricName: string,
    labels: Readonly<Record<string, string>> = {},
  ): number {
    return (this.series.find((s) => s.name === family)?.values ?? [])
      .filter(
        (v) =>
          v.metricName === metricName &&
          Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want),
      )
      .reduce((n, v) => n + v.value, 0);
  }

  /** Cumulative bucket counts by upper bound. */
  buckets(name: string): Map<number, number> {
    const out = new Map<number, number>();
    for (const v of this.series.find((s) => s.name === name)?.values ?? []) {
      if (v.metricName === `${name}_bucket`)
        out.set(Number(v.labels['le']), (out.get(Number(v.labels['le'])) ?? 0) + v.value);
    }
    return out;
  }
}

/** The q-quantile's bucket upper bound of the observations between two readings. */
export function quantileBetween(
  before: Reading,
  after: Reading,
  name: string,
  q: number,
): number | null {
  const a = before.buckets(name);
  const b = [...after.buckets(name)]
    .map(([le, n]) => [le, n - (a.get(le) ?? 0)] as const)
    .sort((x, y) => x[0] - y[0]);
  const total = b.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  return b.find(([, n]) => n >= q * total)?.[0] ?? null;
}
