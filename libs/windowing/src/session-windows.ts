import { cellRow, cellRowId } from './cell-rows';
import { Cell, CellCodec, mergeCells, newCell, takeDirty, UnsavedCells } from './cells';
import type { Duration } from './duration';
import type { Metric } from './metric';
import { MinHeap } from './min-heap';
import { positiveMillis } from './window-math';
import {
  AddOutcome,
  StoreRow,
  StoreRowChanges,
  WindowBounds,
  WindowSpec,
  WindowStore,
} from './window-store';

export interface SessionWindow extends WindowSpec {
  readonly kind: 'session';
  readonly gapMs: number;
}

/** Per key, a window that lasts while events keep coming less than `gap` apart. */
export function session(gap: Duration): SessionWindow {
  const gapMs = positiveMillis(gap, 'session gap');
  return {
    kind: 'session',
    gapMs,
    layout: `session(gap=${gapMs})`,
    // A session holding an event at t may start as late as t + gap − 1 (the next event merges in).
    lastPartialStartMs: (eventTimeMs) => eventTimeMs + gapMs - 1,
    createStore: (metric) => new SessionWindowStore(metric, gapMs),
  };
}

const late = (window: WindowBounds): AddOutcome => ({ lateFor: [window], absorbed: [] });

export interface ClosedSession {
  readonly keyId: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Session windows of one metric in one partition. Per key, sessions are disjoint and sorted;
 * a session is [first event, last event + gap). An event opens [t, t + gap) and merges every
 * session it overlaps, so a late event can bridge two sessions into one. A closed session is
 * remembered (bounds only) until no event could still reach it, so an event inside it is
 * reported late instead of opening an overlapping second session.
 */
export class SessionWindowStore<E> implements WindowStore<E> {
  private readonly byKey = new Map<string, Cell[]>();
  /**
   * One entry per cell, at its end when pushed; a cell that grew since is pushed again when popped.
   */
  private readonly ends = new MinHeap<Cell>();
  private readonly closedByKey = new Map<string, ClosedSession>();
  private readonly closedExpiry = new MinHeap<ClosedSession>();
  readonly dirty = new Set<Cell>();
  readonly unsaved = new UnsavedCells();
  /** Open sessions, counted as they come and go (read at every flush). */
  private openCount = 0;
  /** Cells merged away since the last save: their saved rows must go. */
  private absorbedSinceSave: Cell[] = [];
  /** Closed sessions remembered since the last save. */
  private closedSinceSave: ClosedSession[] = [];
  closedDeadlineMs = -Infinity;

  constructor(
    private readonly metric: Metric<E>,
    private readonly gapMs: number,
  ) {}

  /** Sessions changed since the last call (live results), unflagged. */
  takeDirty(): Cell[] {
    return takeDirty(this.dirty);
  }

  add(
    event: E,
    timeMs: number,
    keyId: string,
    values: readonly unknown[],
    deadlineMs: number,
  ): AddOutcome | undefined {
    const closed = this.closedByKey.get(keyId);
    if (closed && this.lateFor(closed, timeMs, deadlineMs)) return late(closed);
    const sessions = this.byKey.get(keyId) ?? [];
    if (this.extendInPlace(sessions, timeMs, values, deadlineMs)) return undefined;
    // A session that ended by the deadline is closed in all but bookkeeping: whether close() ran
    // yet depends on batch boundaries, so it is treated as closed (never merged into) and replays
    // decide alike.
    const reached = sessions.filter((s) => s.start < timeMs + this.gapMs && timeMs < s.end);
    const ended = reached.find((s) => s.end <= deadlineMs && this.lateFor(s, timeMs, deadlineMs));
    if (ended) return late(ended);
    const overlapping = reached.filter((s) => s.end > deadlineMs);
    const fresh = newCell(this.metric, event, keyId, timeMs, timeMs + this.gapMs);
    const start = Math.min(timeMs, ...overlapping.map((s) => s.start));
    const end = Math.max(fresh.end, ...overlapping.map((s) => s.end));
    if (end <= deadlineMs) return late({ start, end });
    return this.mergeInto(sessions, overlapping, fresh, start, values);
  }

  /** The event's new session `fresh` and the `overlapping` ones become one, starting at `start`. */
  private mergeInto(
    sessions: Cell[],
    overlapping: Cell[],
    fresh: Cell,
    start: number,
    values: readonly unknown[],
  ): AddOutcome | undefined {
    const keyId = fresh.keyId;
    const survivor = overlapping.find((s) => s.start === start) ?? fresh;
    const absorbed: Cell[] = [];
    for (const other of [fresh, ...overlapping]) {
      if (other === survivor) continue;
      if (other !== fresh) mergeCells(this.metric, survivor, other);
      else survivor.end = Math.max(survivor.end, fresh.end);
      // Retracted even if this process never emitted it: a run before a crash may have, and the
      // replay's emission points differ. Deleting a row that does not exist is harmless. With
      // final-only emission no live row is ever written, so there is nothing to retract.
      if (other !== fresh && this.metric.emit === 'update') absorbed.push(other);
      if (other !== fresh) this.absorbedSinceSave.push(other);
      this.dirty.delete(other);
      this.unsaved.drop(other);
    }
    this.metric.compiled.add(survivor, values);
    this.byKey.set(
      keyId,
      [...sessions.filter((s) => !overlapping.includes(s)), survivor].sort(
        (a, b) => a.start - b.start,
      ),
    );
    this.openCount += 1 - overlapping.length;
    if (survivor === fresh) this.ends.push(survivor.end, survivor);
    this.touched(survivor);
    return absorbed.length === 0 ? undefined : { lateFor: [], absorbed };
  }

  /**
   * Late for that (ended) session: the event reaches into it, and the session is still recent
   * enough that it is named (past end + gap the event is late for its own window anyway). Both
   * the remembered-closed and the ended-but-not-yet-closed paths use this one rule, so the
   * reported window does not depend on when close() ran.
   */
  private lateFor(
    session: { start: number; end: number },
    timeMs: number,
    deadlineMs: number,
  ): boolean {
    return (
      timeMs < session.end &&
      session.start < timeMs + this.gapMs &&
      deadlineMs < session.end + this.gapMs
    );
  }

  /**
   * The common case without allocation: the event falls in one session (at or after its start,
   * before its end) and reaches no other one. Returns false when a merge or a new session is
   * needed.
   */
  private extendInPlace(
    sessions: readonly Cell[],
    timeMs: number,
    values: readonly unknown[],
    deadlineMs: number,
  ): boolean {
    let hit: Cell | undefined;
    for (const s of sessions) {
      if (s.start < timeMs + this.gapMs && timeMs < s.end) {
        if (hit || timeMs < s.start) return false;
        hit = s;
      }
    }
    if (!hit || hit.end <= deadlineMs) return false;
    hit.end = Math.max(hit.end, timeMs + this.gapMs);
    this.metric.compiled.add(hit, values);
    this.touched(hit);
    return true;
  }

  private touched(cell: Cell): void {
    this.unsaved.touch(cell);
    if (this.metric.emit === 'update' && !cell.dirty) {
      cell.dirty = true;
      this.dirty.add(cell);
    }
  }

  /** Removes and returns every session that ended by `deadlineMs` (= watermark − lateness). */
  close(deadlineMs: number): Cell[] {
    if (deadlineMs > this.closedDeadlineMs) this.closedDeadlineMs = deadlineMs;
    const closed: Cell[] = [];
    while (this.ends.size > 0 && this.ends.peekPriority() <= deadlineMs) {
      const cell = this.ends.pop() as Cell;
      const sessions = this.byKey.get(cell.keyId);
      if (!sessions?.includes(cell)) continue; // merged away
      if (cell.end > deadlineMs) {
        this.ends.push(cell.end, cell); // it grew since it was pushed
        continue;
      }
      this.openCount -= 1;
      const rest = sessions.filter((s) => s !== cell);
      if (rest.length > 0) this.byKey.set(cell.keyId, rest);
      else this.byKey.delete(cell.keyId);
      this.dirty.delete(cell);
      this.unsaved.drop(cell);
      this.remember({ keyId: cell.keyId, start: cell.start, end: cell.end });
      closed.push(cell);
    }
    this.forgetUnreachable(deadlineMs);
    return closed;
  }

  private remember(session: ClosedSession): void {
    const known = this.closedByKey.get(session.keyId);
    if (known && known.end >= session.end) return;
    this.closedByKey.set(session.keyId, session);
    this.closedExpiry.push(session.end + this.gapMs, session);
    this.closedSinceSave.push(session);
  }

  /** Open sessions changed, sessions merged away (their rows go) and closed sessions remembered. */
  takeRowChanges(codec: CellCodec): StoreRowChanges {
    const upserts = this.unsaved.take().map((cell) => cellRow(cell, cell.end, codec));
    for (const session of this.closedSinceSave) {
      if (this.closedByKey.get(session.keyId) === session) upserts.push(this.closedRow(session));
    }
    const deleted = this.absorbedSinceSave.map((cell) => cellRowId(cell.start, cell.keyId));
    this.absorbedSinceSave = [];
    this.closedSinceSave = [];
    return { deleted, upserts };
  }

  rows(codec: CellCodec): StoreRow[] {
    const open = [...this.cells()].map((cell) => cellRow(cell, cell.end, codec));
    return open.concat([...this.closedByKey.values()].map((session) => this.closedRow(session)));
  }

  /** Rows are open sessions (saved cells, arrays) and remembered closed ones (objects). */
  loadRows(states: readonly unknown[], codec: CellCodec): void {
    for (const state of states) {
      if (Array.isArray(state)) this.load(codec.load(state));
      else this.remember(state as ClosedSession);
    }
    this.closedSinceSave = [];
  }

  markAllUnsaved(): void {
    for (const cell of this.cells()) this.unsaved.touch(cell);
    this.closedSinceSave = [...this.closedByKey.values()];
  }

  /** A closed session is remembered (its row kept) until no event could still reach it. */
  private closedRow(session: ClosedSession): StoreRow {
    return {
      id: `closed${JSON.stringify(session.keyId)}`,
      endMs: session.end + this.gapMs,
      state: session,
    };
  }

  /**
   * Once deadline ≥ end + gap, any event inside a closed session is late by the ordinary rule
   * anyway.
   */
  private forgetUnreachable(deadlineMs: number): void {
    while (this.closedExpiry.size > 0 && this.closedExpiry.peekPriority() <= deadlineMs) {
      const session = this.closedExpiry.pop() as ClosedSession;
      if (this.closedByKey.get(session.keyId) === session) this.closedByKey.delete(session.keyId);
    }
  }

  private *cells(): Iterable<Cell> {
    for (const sessions of this.byKey.values()) yield* sessions;
  }

  get size(): number {
    return this.openCount;
  }

  private load(cell: Cell): void {
    const sessions = this.byKey.get(cell.keyId) ?? [];
    this.byKey.set(
      cell.keyId,
      [...sessions, cell].sort((a, b) => a.start - b.start),
    );
    this.openCount += 1;
    this.ends.push(cell.end, cell);
    if (cell.dirty) this.dirty.add(cell);
  }
}
