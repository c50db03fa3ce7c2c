import type { Client } from '@elastic/elasticsearch';
import type { Pool } from 'pg';
import type { Probe } from './readiness';

export interface ProbeTargets {
  readonly consuming: () => boolean;
  readonly registryUrl: string;
  readonly registryAuth?: { readonly username: string; readonly password: string };
  readonly postgres: Pool;
  readonly elasticsearch: Client;
}

/** Readiness of the aggregator: in its consumer group, and every service it needs answers. */
export function aggregatorProbes(t: ProbeTargets): Probe[] {
  return [
    { name: 'kafka', check: async () => { if (!t.consuming()) throw new Error('not (yet) a member of the consumer group'); } },
    { name: 'schema_registry', check: () => registryAnswers(t.registryUrl, t.registryAuth) },
    { name: 'postgres', check: async () => { await t.postgres.query('SELECT 1'); } },
    { name: 'elasticsearch', check: async () => { await t.elasticsearch.cluster.health({ timeout: '2s' }); } },
  ];
}

async function registryAnswers(url: string, auth?: ProbeTargets['registryAuth']): Promise<void> {
  const headers: Record<string, string> = auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
  const response = await fetch(`${url.replace(/\/$/, '')}/subjects`, { headers, signal: AbortSignal.timeout(2_000) });
  if (!response.ok) throw new Error(`GET /subjects answered ${response.status}`);
}
