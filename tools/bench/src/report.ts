/** Benchmarks print JSON (for tools) and a markdown table (for people). Never assertions. */
export interface Measurement {
  readonly name: string;
  readonly unit: string;
  readonly runs: readonly number[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function report(title: string, context: Record<string, unknown>, measurements: readonly Measurement[]): void {
  const rows = measurements.map((m) => ({ name: m.name, unit: m.unit, median: Math.round(median(m.runs)), runs: m.runs.map(Math.round) }));
  console.log(JSON.stringify({ benchmark: title, ...context, results: rows }, null, 2));
  console.log(`\n### ${title}\n\n| measurement | median | unit | runs |\n|---|---:|---|---|`);
  for (const r of rows) console.log(`| ${r.name} | ${r.median.toLocaleString('en-US')} | ${r.unit} | ${r.runs.join(', ')} |`);
}
