import { operationsUrlOf, Reading, startApp, stop, until } from './apps';

/**
 * Memory over a long run: the simulators at RATE events/s (both scenarios) into a fresh
 * aggregator for MINUTES; every 30 s one line of RSS, heap, open windows, remembered ids, lag,
 * throughput and checkpoint time. Flat means the RSS and heap after warm-up stay within noise
 * (windows close, state is released).
 *   npx nx run bench:soak                   (RATE=10000 MINUTES=30)
 *   FAST_FORWARD=1 npx nx run bench:soak    the same MINUTES of event time produced first, then
 *                                           drained as fast as it goes: state follows event time,
 *                                           so a 45-minute stream is seen in about 15 minutes
 */
const RATE = Number(process.env['RATE'] ?? 10_000);
const MINUTES = Number(process.env['MINUTES'] ?? 30);
const FAST_FORWARD = process.env['FAST_FORWARD'] === '1';

/** Mean time to commit a checkpoint between two readings (null when none was taken). */
function checkpointMean(before: Reading | undefined, after: Reading): number | null {
  const read = (r: Reading | undefined, suffix: string) =>
    r?.sample('rta_sink_write_seconds', `rta_sink_write_seconds_${suffix}`, {
      sink: 'checkpoint',
    }) ?? 0;
  const count = read(after, 'count') - read(before, 'count');
  return count > 0
    ? Math.round((1000 * (read(after, 'sum') - read(before, 'sum'))) / count) / 1000
    : null;
}

async function main(): Promise<void> {
  const id = `soak-${Date.now().toString(36)}`;
  const env = {
    GAME_TOPIC: `${id}-game`,
    ECOMMERCE_TOPIC: `${id}-shop`,
    AGGREGATOR_GROUP_ID: id,
    DEAD_LETTER_TOPIC: `${id}-dead`,
    LATE_EVENTS_TOPIC: `${id}-late`,
  };
  const perScenario = RATE / 2;
  const eventStartMs = Date.now() - MINUTES * 60_000;
  if (FAST_FORWARD) await produceEventMinutes(env, perScenario, eventStartMs);
  const aggregator = startApp('aggregator', ['--http-port', '0'], env);
  const url = await until('the aggregator', () => operationsUrlOf(aggregator));
  const simulator = FAST_FORWARD
    ? undefined
    : startApp('simulator', ['--http-port', '0', '--quiet', '--rate', String(perScenario)], env);
  try {
    await logUntilDone(url, eventStartMs);
  } finally {
    if (simulator) await stop(simulator);
    await stop(aggregator);
  }
}

/** FAST_FORWARD: MINUTES of event time from `eventStartMs`, produced as fast as Kafka takes it. */
async function produceEventMinutes(
  env: NodeJS.ProcessEnv,
  perScenario: number,
  eventStartMs: number,
): Promise<void> {
  const count = String(perScenario * MINUTES * 60);
  const producer = startApp(
    'simulator',
    [
      '--http-port',
      '0',
      '--quiet',
      '--rate',
      'max',
      '--event-rate',
      String(perScenario),
      '--start-time',
      String(eventStartMs),
      '--count',
      count,
      '--batch-size',
      '2000',
    ],
    env,
  );
  if ((await producer.exited) !== 0) throw new Error(`the simulator failed:\n${producer.output()}`);
}

/**
 * One line every 30 s until the run is done: after MINUTES, or with FAST_FORWARD once the whole
 * backlog is consumed (and the lines count minutes of event time).
 */
async function logUntilDone(url: string, eventStartMs: number): Promise<void> {
  const startedMs = Date.now();
  const done = (r: Reading) =>
    FAST_FORWARD
      ? r.sum('rta_events_in_total') >= RATE * MINUTES * 60
      : Date.now() - startedMs >= MINUTES * 60_000;
  const minuteOf = (now: Reading) =>
    FAST_FORWARD
      ? (now.min('rta_partition_event_time_seconds') * 1000 - eventStartMs) / 60_000
      : (Date.now() - startedMs) / 60_000;
  let previous: Reading | undefined;
  while (!previous || !done(previous)) {
    await new Promise((r) => setTimeout(r, 30_000));
    const now = await Reading.of(url);
    console.log(JSON.stringify(line(now, previous, minuteOf(now))));
    previous = now;
  }
}

function line(
  now: Reading,
  previous: Reading | undefined,
  minute: number,
): Record<string, unknown> {
  const mib = (name: string) => Math.round(now.sum(name) / 2 ** 20);
  const rate = previous
    ? Math.round(
        (now.sum('rta_events_in_total') - previous.sum('rta_events_in_total')) /
          ((now.atMs - previous.atMs) / 1000),
      )
    : null;
  return {
    [FAST_FORWARD ? 'eventMinute' : 'minute']: Math.round(minute * 10) / 10,
    rssMiB: mib('rta_aggregator_process_resident_memory_bytes'),
    heapUsedMiB: mib('rta_aggregator_nodejs_heap_size_used_bytes'),
    openWindows: now.sum('rta_open_windows'),
    dedupeIds: now.sum('rta_dedupe_ids'),
    lag: now.sum('rta_consumer_lag'),
    consumedPerSecond: rate,
    checkpointSeconds: checkpointMean(previous, now),
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
