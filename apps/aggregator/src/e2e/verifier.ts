import { Client } from '@elastic/elasticsearch';
import { Pool } from 'pg';
import {
  EcommerceEvent,
  GameEvent,
  validateEcommerceEvent,
  validateGameEvent,
} from '@rta/event-schemas';
import { BuiltMetric, ecommerceMetrics, gameMetrics } from '@rta/metrics-catalog';
import { indexFor } from '@rta/sink-elasticsearch';
import { parseMetricOverrides } from '../metric-overrides';
import { endpoints, readDump, Scenario } from './harness';
import { eventsByPartition, recompute } from './oracle';
import {
  differences,
  expectedInElasticsearch,
  expectedInPostgres,
  storedInElasticsearch,
  storedInPostgres,
} from './stored';

function pick(s: Scenario, names: Set<string>) {
  return Object.fromEntries(
    Object.entries(parseMetricOverrides(s.metrics).overrides).filter(([n]) => names.has(n)),
  );
}

/** Everything the sinks must hold for this scenario, per metric and sink, against what they hold. */
export class Verifier {
  private readonly pool = new Pool({ connectionString: endpoints.databaseUrl, max: 2 });
  private readonly es = new Client({ node: endpoints.elasticsearchUrl });
  /** Daily indices this scenario's days wrote: deleted at close, or test runs pile up shards (ES allows 1,000 a node). */
  private readonly indices = new Set<string>();
  private readonly checks: {
    name: string;
    expected: ReturnType<typeof expectedInPostgres>;
    read: () => ReturnType<typeof storedInPostgres>;
  }[] = [];

  constructor(s: Scenario, gameDump: string, ecommerceDump: string) {
    const game = gameMetrics(pick(s, new Set(gameMetrics().map((m) => m.metric.name))));
    const ecommerce = ecommerceMetrics(
      pick(s, new Set(ecommerceMetrics().map((m) => m.metric.name))),
    );
    const policy = { nowMs: s.startMs, maxAgeMs: Infinity, maxFutureMs: Infinity };
    this.add(
      s,
      game,
      eventsByPartition(
        readDump<GameEvent>(gameDump),
        s.partitions,
        (e) => validateGameEvent(e, policy).length === 0,
      ),
    );
    this.add(
      s,
      ecommerce,
      eventsByPartition(
        readDump<EcommerceEvent>(ecommerceDump),
        s.partitions,
        (e) => validateEcommerceEvent(e, policy).length === 0,
      ),
    );
  }

  private add<E>(s: Scenario, metrics: readonly BuiltMetric<E>[], partitions: E[][]): void {
    const [from, to] = [s.startMs - 3_600_000, s.startMs + 6 * 3_600_000];
    for (const m of metrics) {
      const rows = !s.only || s.only.includes(m.metric.name) ? recompute(m.metric, partitions) : []; // not computed: nothing stored
      const { postgres, elasticsearch } = m;
      if (postgres)
        this.checks.push({
          name: `postgres ${postgres.table}`,
          expected: expectedInPostgres(postgres, rows),
          read: () => storedInPostgres(this.pool, postgres, from, to),
        });
      for (let day = from; day < to + 86_400_000; day += 86_400_000)
        if (elasticsearch?.daily) this.indices.add(indexFor(elasticsearch, day));
      if (elasticsearch)
        this.checks.push({
          name: `elasticsearch ${elasticsearch.index}`,
          expected: expectedInElasticsearch(elasticsearch, rows),
          read: () => storedInElasticsearch(this.es, elasticsearch, from, to),
        });
    }
  }

  get expectedRows(): number {
    return this.checks.reduce((n, c) => n + c.expected.size, 0);
  }

  get finalRows(): number {
    return this.checks.reduce(
      (n, c) => n + [...c.expected.values()].filter((r) => r.final).length,
      0,
    );
  }

  /** Differences per sink table/index; empty when every row equals the recomputation. */
  async differences(): Promise<string[]> {
    const out: string[] = [];
    for (const check of this.checks)
      for (const d of differences(check.expected, await check.read()))
        out.push(`${check.name}: ${d}`);
    return out;
  }

  /** Polls until the sinks hold exactly the recomputation, or returns the last differences. */
  async converge(timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const diff = await this.differences();
      if (diff.length === 0 || Date.now() > deadline) return diff;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  async close(): Promise<void> {
    if (this.indices.size > 0)
      await this.es.indices.delete({ index: [...this.indices], ignore_unavailable: true });
    await Promise.all([this.pool.end(), this.es.close()]);
  }
}
