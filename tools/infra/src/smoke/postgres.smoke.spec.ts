import { Client } from 'pg';
import { loadServiceEndpoints, redact } from '@rta/service-config';
import { requireService, uniqueName } from './service-required';

const { databaseUrl } = loadServiceEndpoints();

describe('PostgreSQL (real server): pg creates and queries a table', () => {
  const client = new Client({ connectionString: databaseUrl });
  const table = uniqueName('smoke').replace(/-/g, '_');

  beforeAll(() => requireService('PostgreSQL', redact(databaseUrl), () => client.connect()));
  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.end();
  });

  it('connects as the project user and upserts rows with exact numerics', async () => {
    const { rows } = await client.query<{ version: string; user: string }>(
      'SELECT version(), current_user AS user',
    );
    console.info(`${rows[0]?.version} as ${rows[0]?.user} at ${redact(databaseUrl)}`);

    await client.query(
      `CREATE TABLE ${table} (window_start timestamptz, category text, total_revenue numeric(18,2),
       PRIMARY KEY (window_start, category))`,
    );
    const upsert = `INSERT INTO ${table} VALUES ($1, $2, $3)
      ON CONFLICT (window_start, category) DO UPDATE SET total_revenue = EXCLUDED.total_revenue`;
    await client.query(upsert, ['2024-01-15T10:30:00Z', 'books', '0.10']);
    await client.query(upsert, ['2024-01-15T10:30:00Z', 'books', '0.30']);
    await client.query(upsert, ['2024-01-15T10:30:00Z', 'toys', '0.20']);

    const sum = await client.query<{ total: string; n: string }>(
      `SELECT sum(total_revenue) AS total, count(*) AS n FROM ${table}`,
    );
    expect(sum.rows[0]).toEqual({ total: '0.50', n: '2' });
  });
});
