import type { Logger } from 'pino';
import type { Telemetry } from '@rta/pipeline';

/**
 * Every 10 s: how many records came in, at what rate, and how far behind the partitions are.
 * `telemetry` is read each time: a member that rejoined has new counters.
 */
export function logProgress(
  telemetry: () => Telemetry,
  log: Logger,
  everyMs = 10_000,
): NodeJS.Timeout {
  let previous = 0;
  const timer = setInterval(() => {
    const t = telemetry();
    void Promise.all([t.eventsIn.get(), t.consumerLag.get(), t.deadLettered.get()]).then(
      ([input, lag, dead]) => {
        const total = sum(input.values);
        log.info(
          {
            records: total,
            perSecond: Math.round(
              ((total >= previous ? total - previous : total) * 1000) / everyMs,
            ),
            lag: sum(lag.values),
            deadLettered: sum(dead.values),
          },
          'progress',
        );
        previous = total; // a rejoined member's counters start over: its first delta is its total
      },
    );
  }, everyMs);
  timer.unref();
  return timer;
}

const sum = (values: readonly { value: number }[]) => values.reduce((a, v) => a + v.value, 0);
