import type { Checkpoint } from '@rta/sink-core';
import type { PartitionOwnership } from './partition-ownership';
import type { StreamProcessor } from './stream-processor';

/** The checkpoints of the processor's partitions that moved since the last call. */
export function checkpointsOf(
  processor: StreamProcessor<unknown>,
  topic: string,
  consumerGroup: string,
  ownership: PartitionOwnership,
): Checkpoint[] {
  return processor.takeProgress().map((p) => {
    const { state, stateChanges, dedupeIds } = processor.checkpointOf(p.partition);
    return {
      consumerGroup,
      topic,
      partition: p.partition,
      nextOffset: p.nextOffset,
      engineState: state,
      stateChanges,
      dedupeIds,
      ownerEpoch: ownership.epochOf(topic, p.partition), // progress exists only for owned partitions
    };
  });
}
