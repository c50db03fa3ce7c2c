/** Rate shape: a base rate with optional periodic bursts. */
export interface RatePlan {
  /** Events per second of event time (and of wall time, when paced). */
  readonly ratePerSec: number;
  /** Every `everyMs` of event time, for `durationMs`, the rate is multiplied by `factor`. */
  readonly burst?: {
    readonly everyMs: number;
    readonly durationMs: number;
    readonly factor: number;
  };
}

/**
 * Event time of the simulated world. Each event advances it by 1/rate, so event times depend
 * only on the plan and the start, never on how fast the machine produced them: with a seed and
 * a start time, a run is reproducible byte for byte. A paced run sends each event when the wall
 * clock reaches its virtual time, so event time then tracks real time.
 */
export class VirtualClock {
  private elapsedMs = 0;

  constructor(
    readonly startMs: number,
    private readonly plan: RatePlan,
  ) {
    if (!(plan.ratePerSec > 0))
      throw new RangeError(`rate must be positive, got ${plan.ratePerSec}`);
  }

  /** Milliseconds since the start at which the next event happens. */
  get offsetMs(): number {
    return this.elapsedMs;
  }

  /** Returns the next event's time (epoch ms, integer) and moves the clock past it. */
  tick(): number {
    const at = this.startMs + Math.floor(this.elapsedMs);
    this.elapsedMs += 1000 / this.rateAt(this.elapsedMs);
    return at;
  }

  rateAt(offsetMs: number): number {
    const burst = this.plan.burst;
    const bursting = burst !== undefined && offsetMs % burst.everyMs < burst.durationMs;
    return bursting ? this.plan.ratePerSec * burst.factor : this.plan.ratePerSec;
  }
}
