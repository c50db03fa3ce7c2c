import { appendFileSync } from 'node:fs';

/** Benchmarks print JSON (for tools) and a markdown table (for people). Never assertions. */
export interface Measurement {
  readonly name: string;
  readonly unit: string;
  readonly runs: readonly number[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface Report {
  readonly benchmark: string;
  readonly context: Record<string, unknown>;
  readonly results: { name: string; unit: string; median: number; runs: number[] }[];
}

/**
 * Prints the JSON and the table; with BENCH_RESULTS set, also appends the JSON there (`bench:all`
 * collects them).
 */
export function report(
  title: string,
  context: Record<string, unknown>,
  measurements: readonly Measurement[],
): void {
  const results = measurements.map((m) => ({
    name: m.name,
    unit: m.unit,
    median: Math.round(median(m.runs)),
    runs: m.runs.map(Math.round),
  }));
  const entry: Report = { benchmark: title, context, results };
  console.log(JSON.stringify(entry, null, 2));
  console.log(`\n${table(entry)}`);
  const file = process.env['BENCH_RESULTS'];
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

export function table(entry: Report): string {
  const lines = [
    `### ${entry.benchmark}`,
    '',
    '| measurement | median | unit | runs |',
    '|---|---:|---|---|',
  ];
  for (const r of entry.results)
    lines.push(
      `| ${r.name} | ${r.median.toLocaleString('en-US')} | ${r.unit} | ${r.runs.join(', ')} |`,
    );
  return lines.join('\n');
}
