import type { CheckpointStore, ResultSink } from '@rta/sink-core';
import type { Probe } from './readiness';

export interface ProbeTargets {
  readonly consuming: () => boolean;
  readonly registryUrl: string;
  readonly registryAuth?: { readonly username: string; readonly password: string };
  readonly sinks: readonly ResultSink[];
  readonly checkpoints: CheckpointStore;
}

/** Readiness of the aggregator: in its consumer group, and every service it needs answers. */
export function aggregatorProbes(t: ProbeTargets): Probe[] {
  const consuming = async () => {
    if (!t.consuming()) throw new Error('not (yet) a member of the consumer group');
  };
  return [
    { name: 'kafka', check: consuming },
    { name: 'schema_registry', check: () => registryAnswers(t.registryUrl, t.registryAuth) },
    ...[t.checkpoints, ...t.sinks].map((s) => ({ name: s.name, check: () => s.check() })),
  ];
}
async function registryAnswers(url: string, auth?: ProbeTargets['registryAuth']): Promise<void> {
  const headers: Record<string, string> = auth
    ? {
        authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
      }
    : {};
  const response = await fetch(`${url.replace(/\/$/, '')}/subjects`, {
    headers,
    signal: AbortSignal.timeout(2_000),
  });
  if (!response.ok) throw new Error(`GET /subjects answered ${response.status}`);
}
