import { loadServiceEndpoints } from '@rta/service-config';
import type { WindowResult } from '@rta/windowing';
import { PostgresSink } from './sink';
import type { TableSpec, ValueColumn } from './table-spec';
import { freshSchema, schemaSnapshot, TestSchema } from './testing';

/** Against the real PostgreSQL, each test in a schema of its own: shared tables stay untouched. */
const databaseUrl = loadServiceEndpoints().databaseUrl;
const schemas: TestSchema[] = [];
afterAll(() => Promise.all(schemas.map((s) => s.drop())));

async function schema(): Promise<TestSchema> {
  const created = await freshSchema(databaseUrl);
  schemas.push(created);
  return created;
}

const CLICK_COUNT: ValueColumn = {
  column: 'click_count',
  field: 'clicks',
  type: 'bigint',
  notNull: true,
};
const CLICKS: TableSpec = {
  metric: 'clicks',
  table: 'clicks',
  keys: [{ column: 'page', field: 'page', type: 'text' }],
  values: [CLICK_COUNT],
};
const PER_CLICK = {
  column: 'per_click',
  kind: 'ratio',
  numerator: 'spend',
  denominator: 'click_count',
  decimals: 2,
} as const;
const WITH_SPEND: TableSpec = {
  ...CLICKS,
  values: [...CLICKS.values, { column: 'spend', field: 'spend', type: 'numeric', minorUnits: 2 }],
  derived: [PER_CLICK],
};
const START = Date.UTC(2031, 0, 1);

function clicks(page: string, values: Record<string, number>, partition = 0): WindowResult {
  const id = `clicks|${partition}|${START}|${page}`;
  const window = { windowStartMs: START, windowEndMs: START + 60_000 };
  const result = { kind: 'result', id, version: 1, metric: 'clicks', partition } as const;
  return { ...result, ...window, key: { page }, values, final: false };
}

async function openWith(at: TestSchema, spec: TableSpec): Promise<PostgresSink> {
  return PostgresSink.open({ connection: at.connection, tables: [spec] });
}

async function written(sink: PostgresSink, items: WindowResult[]): Promise<void> {
  await sink.write(items);
  await sink.flush();
}

it('a new metric gets its table and view; results are written and read through it', async () => {
  const at = await schema();
  const sink = await openWith(at, CLICKS);
  expect(sink.schemaChanges).toEqual(['metric clicks: created clicks_by_partition, clicks']);
  await written(sink, [clicks('home', { clicks: 3 }, 0), clicks('home', { clicks: 4 }, 1)]);
  const { rows } = await at.pool.query('SELECT page, click_count, is_final FROM clicks');
  expect(rows).toEqual([{ page: 'home', click_count: '7', is_final: false }]);
  await sink.close();
});

it('a value added to the spec: its column is added, old rows kept, the view shows it', async () => {
  const at = await schema();
  const before = await openWith(at, CLICKS);
  await written(before, [clicks('home', { clicks: 3 }, 0)]);
  await before.close();
  const after = await openWith(at, WITH_SPEND);
  expect(after.schemaChanges).toEqual([
    'metric clicks: added column spend to clicks_by_partition',
    'metric clicks: re-created view clicks',
  ]);
  const stored = await at.pool.query('SELECT click_count, spend FROM clicks_by_partition');
  expect(stored.rows).toEqual([{ click_count: '3', spend: null }]);
  await written(after, [clicks('home', { clicks: 2, spend: 150 }, 1)]);
  const { rows } = await at.pool.query('SELECT click_count, spend, per_click FROM clicks');
  expect(rows).toEqual([{ click_count: '5', spend: '1.50', per_click: '0.30' }]);
  await after.close();
  const again = await openWith(at, WITH_SPEND); // once migrated, nothing more to do
  expect(again.schemaChanges).toEqual([]);
  await again.close();
});

it('a required value removed from the spec: its column accepts null, and writes go on', async () => {
  const at = await schema();
  const before = await openWith(at, WITH_SPEND);
  await written(before, [clicks('home', { clicks: 3, spend: 100 }, 0)]);
  await before.close();
  const spendOnly = { ...CLICKS, values: [WITH_SPEND.values[1] as ValueColumn] };
  const after = await openWith(at, spendOnly);
  expect(after.schemaChanges).toEqual([
    'metric clicks: clicks_by_partition.click_count no longer required (not computed)',
    'metric clicks: re-created view clicks',
  ]);
  await written(after, [clicks('home', { spend: 250 }, 1)]);
  const stored = await at.pool.query(
    'SELECT click_count, spend FROM clicks_by_partition ORDER BY source_partition',
  );
  expect(stored.rows).toEqual([
    { click_count: '3', spend: '1.00' },
    { click_count: null, spend: '2.50' },
  ]);
  await after.close();
});

it('a value whose type changed: SCHEMA_MISMATCH with found and expected, no change', async () => {
  const at = await schema();
  await (await openWith(at, CLICKS)).close();
  const before = await schemaSnapshot(at.pool);
  const money: ValueColumn = { ...CLICK_COUNT, type: 'numeric', minorUnits: 2 };
  const opening = openWith(at, { ...CLICKS, values: [money] });
  await expect(opening).rejects.toMatchObject({
    code: 'SCHEMA_MISMATCH',
    retriable: false,
    details: {
      metric: 'clicks',
      value: { column: 'click_count', found: 'bigint', expected: 'numeric(18,2)' },
    },
  });
  await expect(opening).rejects.toThrow(
    /^metric clicks: column click_count of clicks_by_partition is bigint, the spec expects numeric/,
  );
  await expect(opening).rejects.toThrow(/\(18,2\)\. A type change is not migrated automatically/);
  expect(await schemaSnapshot(at.pool)).toEqual(before);
});

it('other key columns: SCHEMA_MISMATCH naming the keys found and expected', async () => {
  const at = await schema();
  await (await openWith(at, CLICKS)).close();
  const device = { column: 'device', field: 'device', type: 'text' as const };
  const opening = openWith(at, { ...CLICKS, keys: [...CLICKS.keys, device] });
  await expect(opening).rejects.toMatchObject({ code: 'SCHEMA_MISMATCH' });
  await expect(opening).rejects.toThrow(
    /^metric clicks: clicks_by_partition has primary key \(window_start, page, source_partition\)/,
  );
  await expect(opening).rejects.toThrow(/expects \(window_start, page, device, source_partition/);
});

it('a view that others depend on is not dropped under them: a clear error, no change', async () => {
  const at = await schema();
  await (await openWith(at, CLICKS)).close();
  await at.pool.query('CREATE VIEW busy_pages AS SELECT page FROM clicks WHERE click_count > 100');
  const before = await schemaSnapshot(at.pool);
  await expect(openWith(at, WITH_SPEND)).rejects.toMatchObject({
    code: 'SCHEMA_MISMATCH',
    message: expect.stringMatching(/^metric clicks: view clicks must be re-created .*busy_pages/),
  });
  expect(await schemaSnapshot(at.pool)).toEqual(before); // the added column rolled back too
});

it('sinks opening together on a new schema: no error, the tables created once', async () => {
  const at = await schema();
  const sinks = await Promise.all([1, 2, 3].map(() => openWith(at, WITH_SPEND)));
  expect(sinks.map((s) => s.schemaChanges.length).sort()).toEqual([0, 0, 1]);
  await Promise.all(sinks.map((s) => s.close()));
});
