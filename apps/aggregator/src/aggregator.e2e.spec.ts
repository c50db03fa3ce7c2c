import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operationsUrlOf } from '@rta/app-processes';
import { EXIT_OWNERSHIP_LOST } from '@rta/pipeline';
import { PostgresCheckpointStore } from '@rta/sink-postgres';
import { DEAD_LETTER_HEADERS } from '@rta/stream-io';
import {
  aggregator,
  checkpointed,
  consuming,
  endpoints,
  Proc,
  readDump,
  readTopic,
  scenario,
  Scenario,
  simulator,
  TEST_METRICS,
} from './e2e/harness';
import { Verifier } from './e2e/verifier';

/**
 * The real apps as processes against the real Kafka, registry, PostgreSQL and Elasticsearch:
 * a deterministic simulator run with disorder, late events, duplicates and malformed messages;
 * afterwards every row and document equals an independent batch recomputation over the dump.
 */
const scratch = mkdtempSync(join(tmpdir(), 'aggregator-e2e-'));
const running: Proc[] = [];

afterEach(async () => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

function dumps(s: Scenario) {
  const base = join(scratch, `${s.id}.jsonl`);
  return {
    base,
    game: join(scratch, `${s.id}.game.jsonl`),
    ecommerce: join(scratch, `${s.id}.ecommerce.jsonl`),
  };
}

function track(p: Proc): Proc {
  running.push(p);
  return p;
}

/**
 * Waits until the sinks hold exactly the recomputation (or shows the differences); returns how many
 * rows that was.
 */
async function verify(s: Scenario): Promise<{ rows: number; finals: number }> {
  const files = dumps(s);
  const verifier = new Verifier(s, files.game, files.ecommerce);
  try {
    expect(await verifier.converge(200_000)).toEqual([]); // a loaded CI machine needed over 120 s once
    return { rows: verifier.expectedRows, finals: verifier.finalRows };
  } finally {
    await verifier.close();
  }
}

const CODE_OF_MALFORMED: Record<string, string> = {
  bad_magic_byte: 'BAD_MAGIC_BYTE',
  unknown_schema_id: 'UNKNOWN_SCHEMA_ID',
  truncated_body: 'TRUNCATED_BODY',
  not_avro: 'NOT_AVRO',
  json: 'BAD_MAGIC_BYTE',
};

/**
 * Every malformed message is in the dead-letter topic with its reason and origin; late events in
 * theirs.
 */
async function expectDeadLetters(s: Scenario): Promise<void> {
  const files = dumps(s);
  const malformed = [...readDump(files.game), ...readDump(files.ecommerce)].filter(
    (l) => l.malformed,
  );
  const expected = histogram(
    malformed.map((l) => `${l.topic} ${CODE_OF_MALFORMED[l.malformed as string]}`),
  );
  const letters = await readTopic(`e2e-${s.id}-dead`, malformed.length);
  expect(
    histogram(
      letters.map(
        (l) => `${l.headers[DEAD_LETTER_HEADERS.topic]} ${l.headers[DEAD_LETTER_HEADERS.code]}`,
      ),
    ),
  ).toEqual(expected);
  expect(
    new Set(
      letters.map(
        (l) =>
          `${l.headers[DEAD_LETTER_HEADERS.partition]}@${l.headers[DEAD_LETTER_HEADERS.offset]}`,
      ),
    ).size,
  ).toBe(letters.length);
  expect(letters.every((l) => (l.headers[DEAD_LETTER_HEADERS.reason] ?? '').length > 0)).toBe(true);
  const late = await readTopic(`e2e-${s.id}-late`, 1);
  expect(
    late.every(
      (l) =>
        l.headers[DEAD_LETTER_HEADERS.code] === 'LATE_EVENT' &&
        /too late for/.test(l.headers[DEAD_LETTER_HEADERS.reason] ?? ''),
    ),
  ).toBe(true);
}

/**
 * /health says ready with every dependency, /metrics carries the pipeline's series with real
 * values.
 */
async function expectOperations(agg: Proc): Promise<void> {
  const base = operationsUrlOf(agg);
  expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const health = await fetch(`${base}/health`);
  expect({ status: health.status, body: await health.json() }).toEqual({
    status: 200,
    body: {
      alive: true,
      ready: true,
      checks: {
        kafka: { ok: true },
        schema_registry: { ok: true },
        checkpoints: { ok: true },
        postgres: { ok: true },
        elasticsearch: { ok: true },
      },
    },
  });
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const value = (series: RegExp) => Number(series.exec(metrics)?.[1] ?? Number.NaN);
  expect(value(/^rta_events_in_total\{topic="e2e-[^"]+-game"\} (\d+)/m)).toBe(8_000); // --count: every message, dead letters included
  expect(value(/^rta_dead_lettered_total\{topic="[^"]+",code="[A-Z_]+"\} (\d+)/m)).toBeGreaterThan(
    0,
  );
  expect(value(/^rta_late_events_total\{metric="[a-z_]+"\} (\d+)/m)).toBeGreaterThan(0);
  expect(value(/^rta_sink_write_seconds_count\{sink="postgres"\} (\d+)/m)).toBeGreaterThan(0);
  expect(value(/^rta_freshness_seconds_count (\d+)/m)).toBeGreaterThan(0);
  expect(metrics).toMatch(/^rta_consumer_lag\{topic="[^"]+",partition="\d"\} 0$/m);
  expect(metrics).toMatch(/^rta_watermark_seconds\{metric="game_events_per_region"\} \d+/m);
}

function histogram(items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[item] = (out[item] ?? 0) + 1;
  return out;
}

describe('aggregator end to end (real services)', () => {
  it('an uninterrupted run equals the batch recomputation, in PostgreSQL and Elasticsearch', async () => {
    const s = scenario('plain');
    const agg = track(aggregator(s));
    await consuming(agg);
    const sim = track(
      simulator(s, dumps(s).base, ['--count', '8000', '--rate', 'max', '--event-rate', '30']),
    );
    expect(await sim.exited).toBe(0);
    const { rows, finals } = await verify(s);
    expect(finals).toBeGreaterThan(rows / 2);
    await expectDeadLetters(s);
    await expectOperations(agg);
    agg.child.kill('SIGTERM');
    expect(await agg.exited).toBe(0);
    expect(agg.output()).toContain('stopped cleanly');
  });

  it('computes exactly the metrics --metrics names (AGGREGATOR_METRICS) and leaves an unneeded stream unread', async () => {
    const s: Scenario = { ...scenario('only'), only: ['product_views', 'category_revenue'] };
    const agg = track(aggregator(s));
    await consuming(agg);
    const sim = track(
      simulator(s, dumps(s).base, ['--count', '3000', '--rate', 'max', '--event-rate', '30']),
    );
    expect(await sim.exited).toBe(0);
    const { rows } = await verify(s); // the other 14 metrics: no row and no document in this scenario's hour
    expect(rows).toBeGreaterThan(0);
    const base = operationsUrlOf(agg);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`^rta_events_in_total\\{topic="${s.ecommerceTopic}"\\} 3000$`, 'm'),
    );
    expect(metrics).not.toContain(`topic="${s.gameTopic}"`);
    expect(
      [...metrics.matchAll(/^rta_watermark_seconds\{metric="([a-z_]+)"\}/gm)]
        .map((m) => m[1])
        .sort(),
    ).toEqual(['category_revenue', 'product_views']);
    agg.child.kill('SIGTERM');
    expect(await agg.exited).toBe(0);
  });

  it('stays exact when the aggregator is SIGKILLed at random points and restarted', async () => {
    const s = scenario('kill');
    const sim = track(
      simulator(s, dumps(s).base, ['--count', '9000', '--rate', '600', '--event-rate', '30']),
    );
    let agg = track(aggregator(s));
    const all = [agg];
    await consuming(agg);
    await checkpointed(agg); // the first restart has a checkpoint to resume from, however slow the machine
    for (let kill = 0; kill < 3; kill += 1) {
      await new Promise((r) => setTimeout(r, 2_000 + Math.random() * 3_000));
      agg.child.kill('SIGKILL');
      await agg.exited;
      agg = track(aggregator(s));
      all.push(agg);
      await consuming(agg);
    }
    expect(await sim.exited).toBe(0);
    await verify(s);
    // the restarts really resumed from checkpoints (state restored), not from scratch
    expect(all.slice(1).some((p) => /"restored":[1-9]/.test(p.output()))).toBe(true);
  });

  it('stays exact while instances join, leave (SIGTERM) and die (SIGKILL) mid-run', async () => {
    const s = scenario('scale');
    const instances = [track(aggregator(s)), track(aggregator(s))];
    await Promise.all(instances.map(consuming));
    const sim = track(
      simulator(s, dumps(s).base, ['--count', '9000', '--rate', '500', '--event-rate', '30']),
    );
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(3_000);
    instances.push(track(aggregator(s))); // a third joins: partitions and their state spread over three
    await consuming(instances[2] as Proc);
    await pause(4_000);
    (instances[1] as Proc).child.kill('SIGKILL'); // one dies: its partitions move after the session timeout
    await pause(4_000);
    (instances[0] as Proc).child.kill('SIGTERM'); // one leaves cleanly: checkpoint, commit, leave the group
    // Exit 0, also when its final checkpoint is fenced (on a loaded machine the group may have
    // moved a
    // partition away while it was busy past the rebalance timeout: checkpoint refused, and the new
    // owner resumes from the previous checkpoint). EXIT_OWNERSHIP_LOST only if it was fenced before
    // the SIGTERM came.
    const left = await (instances[0] as Proc).exited;
    const output = (instances[0] as Proc).output();
    expect(
      left === 0 ||
        (left === EXIT_OWNERSHIP_LOST &&
          /CHECKPOINT_FENCED/.test(output) &&
          !/SIGTERM: flushing/.test(output)),
    ).toBe(true);
    expect(await sim.exited).toBe(0);
    await verify(s);
    const assignments = instances.map(
      (p) => (p.output().match(/"msg":"partitions assigned"/g) ?? []).length,
    );
    expect(assignments.every((n) => n > 0)).toBe(true);
    expect(assignments[2]).toBeGreaterThan(1); // the survivor took over moved partitions
  });

  it('rejoins by itself, and stays exact, when another owner claims its partitions under it', async () => {
    const s = scenario('rejoin');
    const agg = track(aggregator(s));
    await consuming(agg);
    const sim = track(
      simulator(s, dumps(s).base, ['--count', '6000', '--rate', '500', '--event-rate', '30']),
    );
    await new Promise((r) => setTimeout(r, 3_000));
    // As a new owner would: its next checkpoint is refused (fenced), it rejoins and resumes.
    const store = await PostgresCheckpointStore.open({
      connection: { connectionString: endpoints.databaseUrl },
    });
    const all = Array.from({ length: s.partitions }, (_, i) => i);
    for (const topic of [s.gameTopic, s.ecommerceTopic]) await store.claim(s.group, topic, all);
    await store.close();
    expect(await sim.exited).toBe(0);
    await verify(s);
    expect(agg.child.exitCode).toBeNull();
    expect(agg.output()).toMatch(
      /CHECKPOINT_FENCED[\s\S]*rejoining the group[\s\S]*rejoined the group/,
    );
    agg.child.kill('SIGTERM');
    expect(await agg.exited).toBe(0);
  });

  it('stays exact when a paused member wakes up after its partitions moved (a zombie is fenced)', async () => {
    // Sessions final-only (the catalog's default): a live session row that a paused member was
    // writing when it stopped can land after the new owner retracted it (see
    // libs/pipeline/README.md).
    const s = scenario(
      'zombie',
      TEST_METRICS.filter((m) => !m.endsWith('.emit=update')),
    );
    const [zombie, survivor] = [track(aggregator(s)), track(aggregator(s))] as [Proc, Proc];
    await Promise.all([zombie, survivor].map(consuming));
    const sim = track(
      simulator(s, dumps(s).base, ['--count', '9000', '--rate', '500', '--event-rate', '30']),
    );
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(3_000);
    zombie.child.kill('SIGSTOP'); // a pause past the 6 s session timeout: the survivor claims its partitions
    await pause(12_000);
    zombie.child.kill('SIGCONT'); // it wakes with state and an owner epoch that are no longer its own
    expect(await sim.exited).toBe(0);
    await verify(s).catch((error: unknown) => {
      console.error(
        `zombie (exit ${zombie.child.exitCode}):\n${zombie.output().slice(-3_000)}\nsurvivor (exit ${survivor.child.exitCode}):\n${survivor.output().slice(-3_000)}`,
      );
      throw error;
    });
    // Woken, it either lost its partitions at the next rebalance or was stopped: refused a
    // checkpoint, or found its records jumping ahead (the new owner moved the committed offset).
    // Alone, a member so stopped rejoins the group in-process (it exits only past 3 a minute),
    // and so does a survivor whose in-flight checkpoint the zombie's claim fenced.
    if (zombie.child.exitCode !== null)
      expect(zombie.output()).toMatch(/CHECKPOINT_FENCED|PARTITION_LOST/);
    expect(survivor.child.exitCode).toBeNull();
  });

  it('restarts a member whose partitions moved while it was paused; the command runs on, exact', async () => {
    const s = scenario(
      'member-restart',
      TEST_METRICS.filter((m) => !m.endsWith('.emit=update')),
    ); // as the zombie test
    const command = track(
      aggregator(s, {
        args: ['--flush-interval', '250ms', '--checkpoint-interval', '1s', '--members', '2'],
      }),
    );
    await consuming(command);
    const sim = track(
      simulator(s, dumps(s).base, ['--count', '9000', '--rate', '500', '--event-rate', '30']),
    );
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(3_000);
    const member = Number(/"pid":(\d+),"member":2/.exec(command.output())?.[1]);
    process.kill(member, 'SIGSTOP'); // past the 6 s session timeout: member 1 claims its partitions
    await pause(12_000);
    process.kill(member, 'SIGCONT');
    expect(await sim.exited).toBe(0);
    await verify(s);
    expect(command.child.exitCode).toBeNull();
    // Woken, it was fenced and restarted by the primary, or it lost its partitions in a rebalance
    // and carried on.
    if (/belongs to another owner|PARTITION_LOST/.test(command.output()))
      expect(command.output()).toMatch(
        /"member":2,"msg":"a member lost a partition to another member and was restarted/,
      );
    command.child.kill('SIGTERM');
    expect(await command.exited).toBe(0);
  });

  it('runs several members in one command: one /health and /metrics, a dead member stops the command, a restart stays exact', async () => {
    const s = scenario('members');
    const args = ['--flush-interval', '250ms', '--checkpoint-interval', '1s', '--members', '2'];
    const first = track(aggregator(s, { args }));
    await consuming(first);
    const sim = track(
      simulator(s, dumps(s).base, ['--count', '9000', '--rate', '600', '--event-rate', '30']),
    );
    await new Promise((r) => setTimeout(r, 4_000));
    process.kill(Number(/"pid":(\d+),"member":2/.exec(first.output())?.[1]), 'SIGKILL');
    expect(await first.exited).toBe(1); // the other member stopped gracefully first
    expect(first.output()).toMatch(/"msg":"a member exited;/);
    const second = track(aggregator(s, { args }));
    await consuming(second);
    expect(await sim.exited).toBe(0);
    await verify(s).catch((error: unknown) => {
      console.error(
        `second command (exit ${second.child.exitCode}):\n${second.output().slice(-6_000)}`,
      );
      throw error;
    });
    const base = operationsUrlOf(second) as string;
    const health = (await (await fetch(`${base}/health`)).json()) as {
      ready: boolean;
      checks: Record<string, { ok: boolean }>;
    };
    expect(health).toEqual({
      alive: true,
      ready: true,
      checks: { member_1: { ok: true }, member_2: { ok: true } },
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const assigned = [
      ...metrics.matchAll(/^rta_assigned_partitions\{topic="[^"]+"\} (\d+)/gm),
    ].reduce((n, m) => n + Number(m[1]), 0);
    expect(assigned).toBe(2 * s.partitions); // both members' partitions, merged
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
