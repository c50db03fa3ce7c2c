import { RunResult, runPipeline } from './pipeline';
import { Measurement, report } from './report';

/**
 * Drains of one backlog, repeated: the aggregator (full catalog, both sinks, checkpoints on) alone
 * on fresh topics, with the plain kafkajs consume + decode rate of the same topics in each run
 * beside it. A shared machine moves a single drain by a quarter either way: this reports medians.
 *   npx nx run bench:drain   (COUNT=500000 per scenario, RUNS=3, MEMBERS=1: --members of the instance)
 */
const COUNT = Number(process.env['COUNT'] ?? 500_000);
const RUNS = Number(process.env['RUNS'] ?? 3);
const MEMBERS = Number(process.env['MEMBERS'] ?? 1);

function measurements(results: readonly RunResult[]): Measurement[] {
  const of = (name: string, unit: string, value: (r: RunResult) => number): Measurement => ({
    name,
    unit,
    runs: results.map(value),
  });
  const ceiling = (r: RunResult) => r.ceilingPerSecond ?? Number.NaN;
  return [
    of('drain: events/s', 'events/s', (r) => r.consumedPerSecond),
    of('drain: aggregator CPU', '% of one core', (r) => 100 * r.aggregatorCpuCores),
    of('drain: events/s per core', 'events/s', (r) => r.consumedPerSecond / r.aggregatorCpuCores),
    of('kafkajs ceiling, same topics', 'events/s', ceiling),
    of('drain / ceiling', '%', (r) => (100 * r.consumedPerSecond) / ceiling(r)),
    of('drain: peak RSS', 'MiB', (r) => r.aggregatorPeakRssMiB),
  ];
}

async function main(): Promise<void> {
  const results: RunResult[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    const result = await runPipeline({ rate: 'backlog', count: COUNT, members: MEMBERS }, 'drain');
    const perCore = Math.round(result.consumedPerSecond / result.aggregatorCpuCores);
    console.error(
      `run ${run}/${RUNS}: ${Math.round(result.consumedPerSecond)} events/s, ${perCore} per core`,
    );
    results.push(result);
  }
  const title = `drain of 2 × ${COUNT.toLocaleString('en-US')}, --members ${MEMBERS}`;
  report(title, { count: COUNT, members: MEMBERS, runs: RUNS }, measurements(results));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
