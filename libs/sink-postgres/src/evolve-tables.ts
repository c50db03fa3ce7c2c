import type { PoolClient } from 'pg';
import { classifyPgError } from './errors';
import { readSchema } from './found-schema';
import { viewHasDependents } from './schema-mismatch';
import { planTables, relationNames, TablePlan } from './schema-plan';
import type { TableSpec } from './table-spec';

const DEPENDENT_OBJECTS_STILL_EXIST = '2BP01';

interface PgError {
  readonly code?: string;
  readonly message: string;
  readonly detail?: string;
}

/**
 * Brings the metric tables of the current schema in line with the specs (schema-plan.ts), in one
 * transaction: all of the changes or none. For a caller holding the schema lock, so that
 * instances starting together plan one after the other. Returns what it changed, in words.
 */
export async function evolveTables(
  client: PoolClient,
  specs: readonly TableSpec[],
): Promise<string[]> {
  await client.query('BEGIN');
  try {
    const plans = planTables(specs, await readSchema(client, relationNames(specs)));
    for (const plan of plans) await applyPlan(client, plan);
    await client.query('COMMIT');
    return plans.flatMap((p) => p.changes.map((change) => `metric ${p.spec.metric}: ${change}`));
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw classifyPgError(error);
  }
}

async function applyPlan(client: PoolClient, plan: TablePlan): Promise<void> {
  for (const statement of plan.statements) {
    try {
      await client.query(statement);
    } catch (error) {
      const { code, message, detail } = error as PgError;
      if (code !== DEPENDENT_OBJECTS_STILL_EXIST) throw classifyPgError(error, plan.spec.metric);
      throw viewHasDependents(plan.spec, [message, detail].filter(Boolean).join(': '));
    }
  }
}
