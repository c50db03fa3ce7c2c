/**
 * The one version rule every results sink applies. Results are full snapshots; of two snapshots
 * of one result the higher rank wins: a final ranks above every live one (a replayed live
 * snapshot never undoes a final), and among the same kind more events (`version`) rank higher.
 * A retraction of version v deletes a stored snapshot of rank at most v's live rank (a live
 * one with no more events). Writing a snapshot twice, or an older one after a newer, changes
 * nothing: at-least-once delivery gives exactly-once results.
 */
export const FINAL_RANK_BASE = 2 ** 40;

export function snapshotRank(final: boolean, version: number): number {
  return final ? FINAL_RANK_BASE + version : version;
}

/** Whether `incoming` replaces `stored` (an equal rank is the same snapshot: no change). */
export function supersedes(
  stored: { final: boolean; version: number },
  incoming: { final: boolean; version: number },
): boolean {
  return (
    snapshotRank(incoming.final, incoming.version) > snapshotRank(stored.final, stored.version)
  );
}

/** The rank as an SQL expression over a row's final flag and version columns. */
export function rankSql(finalColumn: string, versionColumn: string): string {
  return `(CASE WHEN ${finalColumn} THEN ${FINAL_RANK_BASE} ELSE 0 END + ${versionColumn})`;
}
