import type { PartitionChanges, PartitionHeader, StateRow } from './partition-state';

/** A database of rows and headers, changed only as `PartitionChanges` prescribes. */
export class RowStore {
  readonly headers = new Map<number, PartitionHeader>();
  private readonly rows = new Map<string, StateRow>();

  apply(p: number, changes: PartitionChanges): void {
    const changed = JSON.parse(JSON.stringify(changes)) as PartitionChanges;
    if (changed.replaceAll) for (const id of this.idsOf(p)) this.rows.delete(id);
    for (const d of changed.deleted) this.rows.delete(`${p}|${d.metric}|${d.id}`);
    for (const row of changed.upserts) this.rows.set(`${p}|${row.metric}|${row.id}`, row);
    for (const id of this.idsOf(p)) {
      const row = this.rows.get(id) as StateRow;
      const deadline = changed.header.metrics[row.metric]?.closedDeadlineMs ?? null;
      if (deadline !== null && row.endMs <= deadline) this.rows.delete(id);
    }
    this.headers.set(p, changed.header);
  }

  rowsOf(p: number): StateRow[] {
    return this.idsOf(p).map((id) => this.rows.get(id) as StateRow);
  }

  private idsOf(p: number): string[] {
    return [...this.rows.keys()].filter((id) => id.startsWith(`${p}|`));
  }
}
