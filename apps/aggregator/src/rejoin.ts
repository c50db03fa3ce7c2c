import type { Logger } from 'pino';
import { EXIT_OWNERSHIP_LOST, isOwnershipLost } from '@rta/pipeline';
import type { AggregatorConfig } from './config';
import { RunningAggregator, startAggregator } from './wiring';

const MAX_REJOINS_PER_MINUTE = 3;

/**
 * A member running alone whose partitions moved under it (a checkpoint fenced, records jumping
 * ahead: an eager rebalance lets the new owner claim while this one still writes) leaves the
 * group and joins again in-process, resuming from the checkpoints, instead of exiting — as the
 * primary of `--members` restarts such a member. Any other failure, or more than
 * MAX_REJOINS_PER_MINUTE of these, exits (1, or EXIT_OWNERSHIP_LOST) so that a restart resumes.
 */
export class AloneMember {
  private readonly rejoins: number[] = [];
  private replacing = false;

  private constructor(
    private readonly config: AggregatorConfig,
    private readonly log: Logger,
    private running: RunningAggregator,
  ) {}

  static async start(config: AggregatorConfig, log: Logger): Promise<AloneMember> {
    const member = new AloneMember(config, log, await startAggregator(config, log, false));
    member.watch();
    return member;
  }

  get current(): RunningAggregator {
    return this.running;
  }

  private watch(): void {
    this.running.aggregator.onFailure((error) => void this.failed(error));
  }

  private async failed(error: Error): Promise<void> {
    const now = Date.now();
    const recent = this.rejoins.filter((at) => now - at < 60_000);
    if (!isOwnershipLost(error) || recent.length >= MAX_REJOINS_PER_MINUTE || this.replacing) {
      this.exit(error);
      return;
    }
    this.rejoins.splice(0, this.rejoins.length, ...recent, now);
    this.replacing = true;
    this.log.warn({ err: error }, 'partitions moved under this member: rejoining the group');
    const timeoutMs = this.config.flags.shutdownTimeout;
    await this.running.stop(timeoutMs).catch(() => undefined); // leaves the group, closes clients
    try {
      this.running = await startAggregator(this.config, this.log, false);
      this.watch();
      this.log.info({ health: `${this.running.operationsUrl}/health` }, 'rejoined the group');
    } catch (cause) {
      this.exit(cause as Error);
    } finally {
      this.replacing = false;
    }
  }

  /** No flush and no checkpoint after a failure: the next owner resumes from the last checkpoint. */
  private exit(error: Error): never {
    const why = 'aggregator failed; exiting so that a restart resumes from the last checkpoint';
    this.log.fatal({ err: error }, why);
    process.exit(isOwnershipLost(error) ? EXIT_OWNERSHIP_LOST : 1);
  }
}
