/**
 * A large verified run (not a test, it takes minutes): N messages per scenario with chaos into fresh
 * topics, then a fresh aggregator drains the backlog (rate printed), then every row and document
 * is compared with the batch recomputation. `npx nx run aggregator:verify-large -- 250000`
 */
import { operationsUrlOf, until } from '@rta/app-processes';
import { aggregator, consuming, scenario, simulator, Verifier } from './harness';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const s = scenario('big');
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
  const profile = process.env['PROFILE_DIR'];
  // the app's defaults (1 s flushes, 5 s checkpoints) unless FLUSH_ARGS says otherwise
  const agg = aggregator(s, {
    nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
    args: (process.env['FLUSH_ARGS'] ?? '').split(' ').filter(Boolean),
  });
  await consuming(agg);
  const started = Date.now();
  const base = operationsUrlOf(agg);
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
      return total >= 2 * count ? true : undefined;
    },
    1_800_000,
  );
  const elapsed = (Date.now() - started) / 1000;
  console.log(
    `drained ${2 * count} records in ${elapsed.toFixed(1)} s: ${Math.round((2 * count) / elapsed)} records/s`,
  );
  const m = await (await fetch(`${base}/metrics`)).text();
  console.log(
    m
      .split('\n')
      .filter((l) =>
        /^rta_aggregator_process_resident_memory_bytes|^rta_aggregator_process_cpu_seconds_total|rta_freshness_seconds_(sum|count)|rta_sink_write_seconds_(sum|count)/.test(
          l,
        ),
      )
      .join('\n'),
  );
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
  agg.child.kill('SIGTERM');
  console.log('aggregator exit', await agg.exited);
}
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
