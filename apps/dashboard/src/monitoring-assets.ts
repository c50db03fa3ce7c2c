import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ProducerTelemetry, Telemetry } from '@rta/pipeline';

/** Reading infra/'s monitoring files and the series the apps really expose, for the checks. */
export const INFRA = resolve(__dirname, '..', '..', '..', 'infra');

/** Every series name the aggregator and the simulator expose (histograms with their suffixes). */
export async function exposedSeries(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const registry of [new Telemetry().registry, new ProducerTelemetry().registry]) {
    for (const m of await registry.getMetricsAsJSON()) {
      names.add(m.name);
      if (String(m.type) === 'histogram')
        for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${m.name}${suffix}`);
    }
  }
  return names;
}

/** Names of our series (rta_…) and recording rules (rta:…) a PromQL expression uses. */
export const seriesIn = (expr: string) =>
  [...expr.matchAll(/\brta[_:][A-Za-z0-9_:]*/g)].map((m) => m[0]);

export interface GrafanaPanel {
  readonly title: string;
  readonly datasource: { readonly uid: string };
  readonly targets: readonly { readonly expr: string }[];
}

export function grafanaDashboard(): { uid: string; refresh: string; panels: GrafanaPanel[] } {
  return JSON.parse(readFileSync(resolve(INFRA, 'grafana', 'dashboards', 'pipeline.json'), 'utf8'));
}

export function prometheusRules(): {
  name: string;
  expr: string;
  record?: string;
  alert?: string;
}[] {
  const file = parse(readFileSync(resolve(INFRA, 'prometheus', 'rules.yml'), 'utf8')) as {
    groups: { rules: { expr: string; record?: string; alert?: string }[] }[];
  };
  return file.groups.flatMap((g) =>
    g.rules.map((r) => ({ ...r, name: r.record ?? r.alert ?? '?' })),
  );
}

export interface SavedObject {
  readonly type: string;
  readonly id: string;
  readonly attributes: Record<string, unknown>;
  readonly references: readonly {
    readonly type: string;
    readonly id: string;
    readonly name: string;
  }[];
}

export function kibanaObjects(): SavedObject[] {
  return readFileSync(resolve(INFRA, 'kibana', 'saved-objects.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SavedObject);
}
