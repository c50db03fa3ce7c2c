import { Reading, startApp, stop, until } from './apps';

/**
 * Memory over a long run: the simulators at RATE events/s (both scenarios) into a fresh
 * aggregator for MINUTES; every 30 s one line of RSS, heap, lag and throughput. Flat means the
 * RSS and heap after warm-up stay within noise (windows close, state is released).
 *   npx nx run bench:soak        (RATE=10000 MINUTES=30)
 */
const RATE = Number(process.env['RATE'] ?? 10_000);
const MINUTES = Number(process.env['MINUTES'] ?? 30);

async function main(): Promise<void> {
  const id = `soak-${Date.now().toString(36)}`;
  const env = { GAME_TOPIC: `${id}-game`, ECOMMERCE_TOPIC: `${id}-shop`, AGGREGATOR_GROUP_ID: id, DEAD_LETTER_TOPIC: `${id}-dead`, LATE_EVENTS_TOPIC: `${id}-late` };
  const aggregator = startApp('aggregator', ['--http-port', '0'], env);
  const url = await until('the aggregator', () => /"health":"(http:\/\/[^"]+)\/health"/.exec(aggregator.output())?.[1]);
  const simulator = startApp('simulator', ['--http-port', '0', '--quiet', '--rate', String(RATE / 2)], env);
  const startedMs = Date.now();
  let previous: Reading | undefined;
  try {
    while (Date.now() - startedMs < MINUTES * 60_000) {
      await new Promise((r) => setTimeout(r, 30_000));
      const now = await Reading.of(url);
      const mib = (name: string) => Math.round(now.sum(name) / 2 ** 20);
      const rate = previous ? Math.round((now.sum('rta_events_in_total') - previous.sum('rta_events_in_total')) / ((now.atMs - previous.atMs) / 1000)) : null;
      console.log(JSON.stringify({ minute: Math.round((Date.now() - startedMs) / 6_000) / 10, rssMiB: mib('rta_aggregator_process_resident_memory_bytes'), heapUsedMiB: mib('rta_aggregator_nodejs_heap_size_used_bytes'),
        openWindows: now.sum('rta_open_windows'), lag: now.sum('rta_consumer_lag'), consumedPerSecond: rate }));
      previous = now;
    }
  } finally {
    await stop(simulator);
    await stop(aggregator);
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
