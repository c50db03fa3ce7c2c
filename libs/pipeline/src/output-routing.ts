import type { SourceRecord } from '@rta/stream-io';
import type { EngineOutput, Retraction, WindowResult } from '@rta/windowing';
import type { DeadLetter } from './processor-types';

export interface RoutedOutputs {
  /** Finals and retractions, held for the next collection. */
  readonly finals: (WindowResult | Retraction)[];
  /** Late (event, metric) pairs per metric. */
  readonly late: Map<string, number>;
  readonly lateLetters: DeadLetter[];
  readonly deadLetters: DeadLetter[];
}

/** Finals wait for the next collection; late and rejected events become counts and dead letters. */
export function routeOutputs<E>(
  outputs: readonly EngineOutput<E>[],
  origin: (event: E) => SourceRecord | undefined,
  into: RoutedOutputs,
): void {
  const lateRecords = new Map<SourceRecord, string[]>();
  for (const output of outputs) {
    if (output.kind === 'result' || output.kind === 'retract') {
      into.finals.push(output);
    } else if (output.kind === 'late') {
      into.late.set(output.metric, (into.late.get(output.metric) ?? 0) + 1);
      const record = origin(output.event);
      const window = new Date(output.windowStartMs).toISOString();
      const where = `${output.metric} (window ${window}, ${output.lateByMs} ms late)`;
      if (record) lateRecords.set(record, [...(lateRecords.get(record) ?? []), where]);
    } else {
      const record = origin(output.event);
      const reason = { code: output.error.code, message: output.error.message };
      if (record) into.deadLetters.push({ record, reason });
    }
  }
  for (const [record, where] of lateRecords) {
    const reason = { code: 'LATE_EVENT', message: `too late for ${where.join(', ')}` };
    into.lateLetters.push({ record, reason });
  }
}

/** The record an event came from; the index is built only when a batch has a late or bad event. */
export function originOf<E>(
  events: readonly E[],
  sources: readonly SourceRecord[],
): (event: E) => SourceRecord | undefined {
  let index: Map<E, SourceRecord> | undefined;
  return (event) => {
    index ??= new Map(events.map((e, i) => [e, sources[i] as SourceRecord]));
    return index.get(event);
  };
}
