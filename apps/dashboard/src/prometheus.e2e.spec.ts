import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { grafanaDashboard, INFRA } from './monitoring-assets';
import { aggregatorUrlOf, App, startApp, until } from './testing/processes';

/**
 * Debian's Prometheus scraping the real simulator and aggregator with the project's rules: the
 * key series exist and move, the health rules evaluate, and every Grafana panel's query is valid.
 */
const id = `prom-${Date.now().toString(36)}`;
const apps: App[] = [];
let prometheus: ChildProcess | undefined;

afterAll(() => {
  prometheus?.kill('SIGKILL');
  for (const app of apps) app.child.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

function startPrometheus(port: number, targets: Record<string, string>): ChildProcess {
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
  const config = [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    `rule_files: ["${resolve(INFRA, 'prometheus', 'rules.yml')}"]`,
    'scrape_configs:',
    ...Object.entries(targets).map(
      ([job, target]) => `  - { job_name: ${job}, static_configs: [{ targets: ["${target}"] }] }`,
    ),
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  return spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
}

type QueryResult = {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
};

it('scrapes the apps: key series exist and move, rules evaluate, every Grafana query is valid', async () => {
  const topics = { GAME_TOPIC: `${id}-game`, ECOMMERCE_TOPIC: `${id}-shop` };
  const agg = startApp(
    'aggregator',
    [
      '--http-port',
      '0',
      '--group-id',
      id,
      '--dead-letter-topic',
      `${id}-dead`,
      '--late-topic',
      `${id}-late`,
    ],
    { env: topics },
  );
  apps.push(agg);
  const aggregatorUrl = await aggregatorUrlOf(agg);
  const sim = startApp(
    'simulator',
    ['--http-port', '0', '--rate', '300', '--malformed-ratio', '0.01'],
    { env: topics },
  );
  apps.push(sim);
  const simulatorUrl = await until(
    'the simulator',
    () => /metrics at (http:\/\/\S+)\/metrics/.exec(sim.output())?.[1],
  );

  const port = await freePort();
  prometheus = startPrometheus(port, {
    aggregator: new URL(aggregatorUrl).host,
    simulator: new URL(simulatorUrl).host,
  });
  const api = `http://127.0.0.1:${port}`;
  await until('Prometheus to be ready', async () =>
    (await fetch(`${api}/-/ready`).catch(() => null))?.ok ? true : undefined,
  );
  const query = async (q: string) =>
    (await (
      await fetch(`${api}/api/v1/query?query=${encodeURIComponent(q)}`)
    ).json()) as QueryResult;
  const scalar = async (q: string) =>
    Number((await query(q)).data.result[0]?.value[1] ?? Number.NaN);

  const first = await until('records to be counted', async () =>
    (await scalar('sum(rta_events_in_total)')) > 0 ? scalar('sum(rta_events_in_total)') : undefined,
  );
  await until('the count to move', async () =>
    (await scalar('sum(rta_events_in_total)')) > first ? true : undefined,
  );
  for (const series of [
    'rta_events_produced_total',
    'rta_produce_latency_seconds_bucket',
    'rta_events_in_total',
    'rta_events_by_type_total',
    'rta_dead_lettered_total',
    'rta_consumer_lag',
    'rta_watermark_seconds',
    'rta_batch_size_records_bucket',
    'rta_sink_write_seconds_bucket',
    'rta_freshness_seconds_bucket',
  ]) {
    expect({ series, found: (await query(series)).data.result.length > 0 }).toEqual({
      series,
      found: true,
    });
  }
  await until('rates over two scrapes', async () =>
    (await scalar('rta:consumed:rate1m')) > 0 ? true : undefined,
  );

  const rules = (await (await fetch(`${api}/api/v1/rules`)).json()) as {
    data: { groups: { name: string; rules: { name: string; health: string }[] }[] };
  };
  const group = rules.data.groups.find((g) => g.name === 'rta-pipeline');
  expect(group?.rules.map((r) => [r.name, r.health])).toEqual(
    expect.arrayContaining([
      ['PipelineUnhealthy', 'ok'],
      ['PipelineDegradedSlow', 'ok'],
      ['PipelineDegradedBehind', 'ok'],
    ]),
  );
  const firing = (await query('ALERTS{alertname="PipelineUnhealthy"}')).data.result;
  expect(firing).toEqual([]); // events flow: not unhealthy

  for (const panel of grafanaDashboard().panels) {
    for (const target of panel.targets)
      expect({ panel: panel.title, status: (await query(target.expr)).status }).toEqual({
        panel: panel.title,
        status: 'success',
      });
  }
});
