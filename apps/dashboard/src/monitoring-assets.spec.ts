import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { ecommerceMetrics, gameMetrics } from '@rta/metrics-catalog';
import { indexTemplate } from '@rta/sink-elasticsearch';
import {
  exposedSeries,
  grafanaDashboard,
  INFRA,
  kibanaObjects,
  prometheusRules,
  seriesIn,
} from './monitoring-assets';

/** The Grafana, Prometheus and Kibana files refer only to series, fields and objects that exist. */
describe('Grafana dashboard', () => {
  it("has seed 003's panels and thresholds, on the provisioned Prometheus data source", () => {
    const dashboard = grafanaDashboard();
    const datasource = parse(
      readFileSync(
        resolve(INFRA, 'grafana', 'provisioning', 'datasources', 'prometheus.yaml'),
        'utf8',
      ),
    ) as { datasources: { uid: string }[] };
    expect(dashboard.refresh).toBe('10s');
    expect(new Set(dashboard.panels.map((p) => p.datasource.uid))).toEqual(
      new Set([datasource.datasources[0]?.uid]),
    );
    const titles = dashboard.panels.map((p) => p.title).join('\n');
    for (const seed of [
      /produced vs processed/,
      /processing delay/,
      /Events by type/,
      /Batch size/,
      /Total produced/,
      /Total processed/,
      /Failed events/,
      /Success rate/,
    ])
      expect(titles).toMatch(seed);
    const steps = (title: RegExp) =>
      (
        dashboard.panels.find((p) => title.test(p.title)) as unknown as {
          fieldConfig: { defaults: { thresholds: { steps: { value: number | null }[] } } };
        }
      ).fieldConfig.defaults.thresholds.steps.map((s) => s.value);
    expect(steps(/processing delay/)).toEqual([null, 1, 5]);
    expect(steps(/Failed events/)).toEqual([null, 10, 100]);
    expect(steps(/Success rate/)).toEqual([null, 95, 99]);
  });

  it('queries only series the apps expose', async () => {
    const exposed = await exposedSeries();
    const unknown = grafanaDashboard()
      .panels.flatMap((p) => p.targets.flatMap((t) => seriesIn(t.expr)))
      .filter((name) => !exposed.has(name));
    expect(unknown).toEqual([]);
  });
});

describe('Prometheus configuration', () => {
  it("passes promtool (Debian's prometheus package)", () => {
    expect(
      execFileSync(
        'promtool',
        ['check', 'config', resolve(INFRA, 'prometheus', 'prometheus.yml')],
        { encoding: 'utf8' },
      ),
    ).toMatch(/SUCCESS/);
    expect(
      execFileSync('promtool', ['check', 'rules', resolve(INFRA, 'prometheus', 'rules.yml')], {
        encoding: 'utf8',
      }),
    ).toMatch(/SUCCESS: 6 rules found/);
  });

  it("has seed 003's health rules over series that exist", async () => {
    const rules = prometheusRules();
    expect(rules.filter((r) => r.alert).map((r) => r.alert)).toEqual([
      'PipelineUnhealthy',
      'PipelineDegradedSlow',
      'PipelineDegradedBehind',
    ]);
    const known = new Set([
      ...(await exposedSeries()),
      ...rules.flatMap((r) => (r.record ? [r.record] : [])),
    ]);
    expect(rules.flatMap((r) => seriesIn(r.expr)).filter((name) => !known.has(name))).toEqual([]);
  });
});

describe('Kibana saved objects', () => {
  const objects = kibanaObjects();
  const mappings = new Map(
    [...gameMetrics(), ...ecommerceMetrics()].flatMap((m) => {
      if (!m.elasticsearch) return [];
      const template = indexTemplate(m.elasticsearch, 0) as {
        index_patterns: string[];
        template: { mappings: { properties: Record<string, unknown> } };
      };
      return [
        [
          template.index_patterns[0] as string,
          new Set(Object.keys(template.template.mappings.properties)),
        ] as const,
      ];
    }),
  );

  it("has the seeds' dashboards, refreshing every second, and every reference resolves", () => {
    const ids = new Set(objects.map((o) => `${o.type}:${o.id}`));
    expect(ids.size).toBe(objects.length);
    expect(
      objects
        .flatMap((o) => o.references.map((r) => `${r.type}:${r.id}`))
        .filter((ref) => !ids.has(ref)),
    ).toEqual([]);
    const titles = objects.map((o) => String(o.attributes['title']));
    expect(titles).toEqual(
      expect.arrayContaining(['Events Per Region', 'Live Event Count', 'Revenue Per Category']),
    );
    for (const dashboard of objects.filter((o) => o.type === 'dashboard'))
      expect(dashboard.attributes['refreshInterval']).toEqual({ pause: false, value: 1000 });
  });

  it("points data views at the aggregator's indices and visualizations at fields their mappings have", () => {
    const views = new Map(
      objects
        .filter((o) => o.type === 'index-pattern')
        .map((o) => [o.id, String(o.attributes['title'])]),
    );
    for (const [id, title] of views) {
      expect({ id, title, known: mappings.has(title) }).toEqual({ id, title, known: true });
      expect(
        mappings
          .get(title)
          ?.has(String(objects.find((o) => o.id === id)?.attributes['timeFieldName'])),
      ).toBe(true);
    }
    for (const vis of objects.filter((o) => o.type === 'visualization')) {
      const view = views.get(vis.references[0]?.id ?? '') as string;
      const fields = (
        JSON.parse(String(vis.attributes['visState'])) as { aggs: { params: { field?: string } }[] }
      ).aggs.flatMap((a) => (a.params.field ? [a.params.field] : []));
      expect({ vis: vis.id, missing: fields.filter((f) => !mappings.get(view)?.has(f)) }).toEqual({
        vis: vis.id,
        missing: [],
      });
    }
  });
});
