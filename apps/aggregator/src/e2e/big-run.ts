/**
 * A large verified run (not a test, it takes minutes): N messages per scenario with chaos into
 * fresh
 * topics, then a fresh aggregator drains the backlog (rate printed), then every row and document
 * is compared with the batch recomputation. `npx nx run aggregator:verify-large -- 250000`
 */
import { operationsUrlOf, until } from '@rta/app-processes';
import { aggregator, consuming, type Proc, scenario, type Scenario, simulator } from './harness';
import { Verifier } from './verifier';

const RESOURCE_METRICS =
  /^rta_aggregator_process_resident_memory_bytes|^rta_aggregator_process_cpu_seconds_total|rta_freshness_seconds_(sum|count)|rta_sink_write_seconds_(sum|count)/;

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const s = scenario('big');
  await produceBacklog(s, count);
  const agg = startDrainingAggregator(s);
  await consuming(agg);
  const base = operationsUrlOf(agg);
  await drain(base, 2 * count);
  await printResourceMetrics(base);
  await verify(s);
  agg.child.kill('SIGTERM');
  console.log('aggregator exit', await agg.exited);
}

/** `count` messages per scenario as fast as Kafka takes them, before any aggregator runs. */
async function produceBacklog(s: Scenario, count: number): Promise<void> {
  const dump = `/tmp/${s.id}.jsonl`;
  const t0 = Date.now();
  const sim = simulator(s, dump, [
    '--count',
    String(count),
    '--rate',
    'max',
    '--event-rate',
    '30',
    '--batch-size',
    '2000',
  ]);
  console.log('sim exit', await sim.exited, ((Date.now() - t0) / 1000).toFixed(1), 's');
}

/** A fresh aggregator on the backlog, CPU-profiled into PROFILE_DIR when it is set. */
function startDrainingAggregator(s: Scenario): Proc {
  const profile = process.env['PROFILE_DIR'];
  // the app's defaults (1 s flushes, 5 s checkpoints) unless FLUSH_ARGS says otherwise
  return aggregator(s, {
    nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
    args: (process.env['FLUSH_ARGS'] ?? '').split(' ').filter(Boolean),
  });
}

/** Waits until the aggregator has read `records`, printing the rate whenever the count moves. */
async function drain(base: string | undefined, records: number): Promise<void> {
  const started = Date.now();
  let last = 0;
  await until(
    'drained',
    async () => {
      const m = await (await fetch(`${base}/metrics`)).text();
      const total = [...m.matchAll(/^rta_events_in_total\{[^}]*\} (\d+)/gm)].reduce(
        (n, x) => n + Number(x[1]),
        0,
      );
      if (total !== last) {
        last = total;
        console.log(
          ((Date.now() - started) / 1000).toFixed(1),
          's',
          total,
          'records',
          Math.round(total / ((Date.now() - started) / 1000)),
          '/s',
        );
      }
      return total >= records ? true : undefined;
    },
    1_800_000,
  );
  const elapsed = (Date.now() - started) / 1000;
  console.log(
    `drained ${records} records in ${elapsed.toFixed(1)} s: ${Math.round(records / elapsed)} records/s`,
  );
}

/** Prints the aggregator's memory, CPU, freshness and sink-write metrics once it has drained. */
async function printResourceMetrics(base: string | undefined): Promise<void> {
  const m = await (await fetch(`${base}/metrics`)).text();
  console.log(
    m
      .split('\n')
      .filter((l) => RESOURCE_METRICS.test(l))
      .join('\n'),
  );
}

/** Compares every stored row and document with the batch recomputation of the dumps. */
async function verify(s: Scenario): Promise<void> {
  const v = new Verifier(s, `/tmp/${s.id}.game.jsonl`, `/tmp/${s.id}.ecommerce.jsonl`);
  const diff = await v.converge(300_000);
  console.log(
    'rows',
    v.expectedRows,
    'finals',
    v.finalRows,
    'differences',
    diff.length,
    diff.slice(0, 5),
  );
  await v.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
