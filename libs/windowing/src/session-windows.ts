import { addValues, Cell, mergeCells, newCell } from './cells';
import type { Metric } from './metric';
import { MinHeap } from './min-heap';

export interface SessionAddOutcome {
  /** Set when the event's session had already closed: the event is late. */
  readonly lateWindow?: { readonly start: number; readonly end: number };
  /** Live sessions absorbed into another under a different start: their results must be retracted. */
  readonly absorbed: readonly Cell[];
}

const NOTHING_ABSORBED: SessionAddOutcome = { absorbed: [] };

/**
 * Session windows of one metric in one partition. Per key, sessions are disjoint and sorted;
 * a session is [first event, last event + gap). An event opens [t, t + gap) and merges every
 * session it overlaps, so a late event can bridge two sessions into one.
 */
export class SessionWindowStore<E> {
  private readonly byKey = new Map<string, Cell[]>();
  /** (end, cell) entries; a cell whose end moved leaves a stale entry that `close` skips. */
  private readonly ends = new MinHeap<Cell>();
  readonly dirty = new Set<Cell>();

  constructor(
    private readonly metric: Metric<E>,
    private readonly gapMs: number,
  ) {}

  add(event: E, timeMs: number, keyId: string, values: readonly unknown[], watermarkMs: number): SessionAddOutcome {
    const sessions = this.byKey.get(keyId) ?? [];
    const inside = this.extendInPlace(sessions, timeMs, values);
    if (inside) return NOTHING_ABSORBED;
    const fresh = newCell(this.metric, event, keyId, timeMs, timeMs + this.gapMs);
    const overlapping = sessions.filter((s) => s.start < fresh.end && timeMs < s.end);
    const start = Math.min(timeMs, ...overlapping.map((s) => s.start));
    const end = Math.max(fresh.end, ...overlapping.map((s) => s.end));
    if (end + this.metric.allowedLatenessMs <= watermarkMs) return { lateWindow: { start, end }, absorbed: [] };

    const survivor = overlapping.find((s) => s.start === start) ?? fresh;
    const endBefore = survivor === fresh ? undefined : survivor.end;
    const absorbed: Cell[] = [];
    for (const other of [fresh, ...overlapping]) {
      if (other === survivor) continue;
      if (other !== fresh) mergeCells(this.metric, survivor, other);
      else survivor.end = Math.max(survivor.end, fresh.end);
      if (other.emitted) absorbed.push(other);
      this.dirty.delete(other);
    }
    addValues(this.metric, survivor, values);
    this.byKey.set(keyId, [...sessions.filter((s) => !overlapping.includes(s)), survivor].sort((a, b) => a.start - b.start));
    if (survivor.end !== endBefore) this.ends.push(survivor.end, survivor);
    if (this.metric.emit === 'update') {
      survivor.dirty = true;
      this.dirty.add(survivor);
    }
    return { absorbed };
  }

  /**
   * The common case without allocation: the event falls in one session (at or after its start,
   * before its end) and reaches no other one. Returns false when a merge or a new session is needed.
   */
  private extendInPlace(sessions: readonly Cell[], timeMs: number, values: readonly unknown[]): boolean {
    let hit: Cell | undefined;
    for (const s of sessions) {
      if (s.start < timeMs + this.gapMs && timeMs < s.end) {
        if (hit || timeMs < s.start) return false;
        hit = s;
      }
    }
    if (!hit) return false;
    const end = Math.max(hit.end, timeMs + this.gapMs);
    if (end !== hit.end) {
      hit.end = end;
      this.ends.push(end, hit);
    }
    addValues(this.metric, hit, values);
    if (this.metric.emit === 'update' && !hit.dirty) {
      hit.dirty = true;
      this.dirty.add(hit);
    }
    return true;
  }

  /** Removes and returns every session that ended by `deadlineMs` (= watermark − lateness). */
  close(deadlineMs: number): Cell[] {
    const closed: Cell[] = [];
    while (this.ends.size > 0 && this.ends.peekPriority() <= deadlineMs) {
      const cell = this.ends.pop() as Cell;
      const sessions = this.byKey.get(cell.keyId);
      if (!sessions?.includes(cell) || cell.end > deadlineMs) continue; // stale entry: merged away or extended
      const rest = sessions.filter((s) => s !== cell);
      if (rest.length > 0) this.byKey.set(cell.keyId, rest);
      else this.byKey.delete(cell.keyId);
      this.dirty.delete(cell);
      closed.push(cell);
    }
    return closed;
  }

  *cells(): Iterable<Cell> {
    for (const sessions of this.byKey.values()) yield* sessions;
  }

  load(cell: Cell): void {
    const sessions = this.byKey.get(cell.keyId) ?? [];
    this.byKey.set(cell.keyId, [...sessions, cell].sort((a, b) => a.start - b.start));
    this.ends.push(cell.end, cell);
    if (cell.dirty) this.dirty.add(cell);
  }
}
