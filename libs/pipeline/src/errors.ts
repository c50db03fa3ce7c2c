import { isFencedCheckpoint } from '@rta/sink-core';

/** Base of every error this lib throws. Branch on `code`, never on the message. */
export class PipelineError extends Error {
  constructor(
    readonly code:
      | 'CHECKPOINT_UNREADABLE'
      | 'PARTITION_LOST'
      | 'REGISTRY_UNAVAILABLE'
      | 'SINK_FAILED'
      | 'SHUTDOWN_TIMEOUT'
      | 'MEMBER_EXITED'
      | 'PORT_IN_USE',
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PipelineError';
  }
}

/**
 * Another member owns one of this member's partitions now: its state must go, a restart resumes
 * from the checkpoints.
 */
export function isOwnershipLost(error: unknown): boolean {
  return (
    (error instanceof PipelineError && error.code === 'PARTITION_LOST') || isFencedCheckpoint(error)
  );
}
