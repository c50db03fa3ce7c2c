/** A metric's event-time reader: metrics of one stream usually share one function. */
type EventTimeOf<E> = (event: E) => number;

/**
 * The event times of one batch, read once per distinct event-time function rather than once per
 * metric (the catalog's metrics of one stream share one function). An invalid time (not a safe
 * integer, or the reader threw) is NaN: it compares false with everything, so it moves no clock.
 * The arrays are scratch space reused from batch to batch.
 */
export class BatchEventTimes<E> {
  private readonly scratch = new Map<EventTimeOf<E>, Float64Array>();
  private readonly filled = new Set<EventTimeOf<E>>();

  /** Forgets the previous batch's times. */
  reset(): void {
    this.filled.clear();
  }

  /** `read`'s time of every event of the batch, index for index. */
  of(read: EventTimeOf<E>, events: readonly E[]): Float64Array {
    let times = this.scratch.get(read);
    if (!times || times.length < events.length) {
      times = new Float64Array(Math.max(events.length, 2 * (times?.length ?? 0), 64));
      this.scratch.set(read, times);
      this.filled.delete(read);
    }
    if (this.filled.has(read)) return times;
    for (let i = 0; i < events.length; i += 1) times[i] = validTime(read, events[i] as E);
    this.filled.add(read);
    return times;
  }
}

function validTime<E>(read: EventTimeOf<E>, event: E): number {
  try {
    const timeMs = read(event);
    return Number.isSafeInteger(timeMs) ? timeMs : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
