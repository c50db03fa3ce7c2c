import type { Logger } from 'pino';
import type { RestoreReport } from '@rta/windowing';

/** A restore that did more than load state as saved (a metric added, reset, changed or dropped) is worth a line. */
export function logRestores(log: Logger, topic: string, reports: readonly RestoreReport[]): void {
  for (const r of reports) {
    if (r.started.length + r.changed.length + r.dropped.length === 0) continue;
    const since = new Date(r.pastEventTimeMs ?? 0).toISOString();
    const startedNote =
      r.started.length > 0
        ? `; started over: windows that could hold events up to ${since} are not reported`
        : '';
    const { partition, started, changed, dropped } = r;
    log.warn(
      { topic, partition, started, changed, dropped },
      `saved state adapted to the configured metrics${startedNote}`,
    );
  }
}
