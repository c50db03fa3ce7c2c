import { isBadRecordCode } from '@rta/event-schemas';
import type { SourceRecord } from '@rta/stream-io';
import type { BatchOutcome, StreamProcessor } from './stream-processor';
import type { Telemetry } from './telemetry';

/**
 * Counters of one processed batch: records in, accepted, refused by reason, duplicates, late per
 * metric.
 */
export function recordBatch(
  t: Telemetry,
  topic: string,
  records: number,
  outcome: BatchOutcome,
): void {
  t.eventsIn.inc({ topic }, records);
  t.eventsAccepted.inc({ topic }, outcome.accepted);
  t.batchSize.observe(records);
  for (const [eventType, n] of outcome.byType)
    t.eventsByType.inc({ topic, event_type: eventType }, n);
  if (outcome.duplicates > 0) t.duplicates.inc({ topic }, outcome.duplicates);
  for (const [metric, n] of outcome.late) t.lateEvents.inc({ metric }, n);
  for (const { reason } of outcome.deadLetters) {
    t.deadLettered.inc({ topic, code: reason.code });
    (isBadRecordCode(reason.code) ? t.decodeFailures : t.invalidEvents).inc({
      topic,
      code: reason.code,
    });
  }
}

/** Gauges refreshed at each flush: watermark and its delay per metric, open windows per topic. */
export function recordState(
  t: Telemetry,
  processors: ReadonlyMap<string, StreamProcessor<unknown>>,
  nowMs: number,
): void {
  for (const [topic, processor] of processors) {
    for (const m of processor.spec.metrics) {
      const watermarkMs = processor.engine.watermarkMs(m.name);
      if (!Number.isFinite(watermarkMs)) continue;
      t.watermark.set({ metric: m.name }, watermarkMs / 1000);
      t.watermarkDelay.set({ metric: m.name }, (nowMs - watermarkMs) / 1000);
    }
    t.openWindows.set({ topic }, processor.engine.stats.openCells);
    t.rememberedIds.set({ topic }, processor.rememberedIds);
  }
}

/** Per-partition gauges after a batch: consumer lag, and the largest event time seen. */
export function recordPartition(
  t: Telemetry,
  records: readonly SourceRecord[],
  highWatermark: string,
  maxEventTimeMs: number | undefined,
): void {
  const last = records.at(-1) as SourceRecord;
  const labels = { topic: last.topic, partition: String(last.partition) };
  t.consumerLag.set(labels, Number(BigInt(highWatermark) - BigInt(last.offset) - 1n));
  if (maxEventTimeMs !== undefined) t.partitionEventTime.set(labels, maxEventTimeMs / 1000);
}
