import { FINAL_RANK_BASE, rankSql, snapshotRank, supersedes } from './snapshot-rank';

/** The rule as the README states it, case by case: the oracle the rank must agree with. */
function statedRule(
  stored: { final: boolean; version: number },
  incoming: { final: boolean; version: number },
): boolean {
  if (!stored.final) return incoming.final || incoming.version > stored.version;
  return incoming.final && incoming.version > stored.version;
}

describe('the version rule', () => {
  const versions = [0, 1, 2, 1_000_000, FINAL_RANK_BASE - 1];
  const snapshots = [false, true].flatMap((final) =>
    versions.map((version) => ({ final, version })),
  );

  it('a live snapshot is replaced by a newer one or any final; a final only by a newer final', () => {
    for (const stored of snapshots)
      for (const incoming of snapshots)
        expect(supersedes(stored, incoming)).toBe(statedRule(stored, incoming));
  });

  it('ranks every final above every live snapshot, as SQL too', () => {
    expect(snapshotRank(true, 0)).toBeGreaterThan(snapshotRank(false, FINAL_RANK_BASE - 1));
    expect(rankSql('t.is_final', 't.version')).toBe(
      `(CASE WHEN t.is_final THEN ${FINAL_RANK_BASE} ELSE 0 END + t.version)`,
    );
  });
});
