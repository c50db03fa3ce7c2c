import type { Cell, CellCodec } from './cells';
import type { StoreRow } from './window-store';

/** Ids are JSON so that any key (even one holding NUL, which PostgreSQL text refuses) is safe. */
export function cellRowId(start: number, keyId: string): string {
  return `${start}${JSON.stringify(keyId)}`;
}

/** A cell as a saved row, gone once the closed deadline reaches `endMs`. */
export function cellRow(cell: Cell, endMs: number, codec: CellCodec): StoreRow {
  return { id: cellRowId(cell.start, cell.keyId), endMs, state: codec.save(cell) };
}
