import { Pool } from 'pg';
import { loadServiceEndpoints, redact } from '@rta/service-config';
import { migrate } from './migrations';

/** `npx nx run sink-postgres:migrate`: applies pending migrations to DATABASE_URL. */
async function main(): Promise<void> {
  const { databaseUrl } = loadServiceEndpoints();
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const applied = await migrate(pool);
    console.log(
      applied.length
        ? `applied ${applied.join(', ')} to ${redact(databaseUrl)}`
        : `${redact(databaseUrl)} is up to date`,
    );
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
});
