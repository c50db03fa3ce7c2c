import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AvroSerde, ECOMMERCE_STREAM, GAME_STREAM } from '@rta/event-schemas';
import { loadServiceEndpoints } from '@rta/service-config';
import { createStreamClient } from '@rta/stream-io';
import { readRecords } from '@rta/stream-io/testing';

/** The real CLI, as a user runs it, against the real Kafka and registry. */
const root = resolve(__dirname, '..', '..', '..');
const endpoints = loadServiceEndpoints();
const kafka = createStreamClient({
  brokers: endpoints.kafkaBrokers,
  clientId: 'simulator-e2e',
  logLevel: 'error',
});
const serde = AvroSerde.forUrl(endpoints.schemaRegistryUrl);
const scratch = mkdtempSync(join(tmpdir(), 'simulator-e2e-'));
const run = Date.now().toString(36);

function startSimulator(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; output: () => string } {
  // node with tsx as a loader, not the tsx CLI: its wrapper relays signals, and a SIGINT relayed
  // twice made the simulator exit at once (130) instead of flushing (a CI run).
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'apps/simulator/src/main.ts', '--quiet', '--http-port', '0', ...args],
    {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: 'apps/simulator/tsconfig.json', ...env },
    },
  );
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return { child, output: () => output };
}

async function simulator(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; output: string }> {
  const { child, output } = startSimulator(args, env);
  const [code] = await once(child, 'exit');
  // on a failure the output says why (a bare exit code does not)
  if (code !== 0)
    process.stderr.write(`simulator ${args.join(' ')} exited ${code}:\n${output()}\n`);
  return { code, output: output() };
}

/** Every message of `topic` as key and value; order holds per key (per partition), not across. */
async function readMessages(
  topic: string,
  expected: number,
): Promise<{ key: string; value: Buffer }[]> {
  // anything beyond `expected` would arrive while it settles
  const records = await readRecords(kafka, topic, { atLeast: expected, settleMs: 500 });
  return records.map((r) => ({ key: String(r.key), value: r.value as Buffer }));
}

async function readAll(topic: string, expected: number): Promise<Buffer[]> {
  return (await readMessages(topic, expected)).map((m) => m.value);
}

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('simulator CLI (real Kafka and registry)', () => {
  it('--count N produces exactly N messages per scenario that a plain consumer reads and decodes', async () => {
    const topics = { game: `e2e-${run}-game`, shop: `e2e-${run}-shop` };
    const result = await simulator([
      '--count',
      '1500',
      '--rate',
      'max',
      '--game-topic',
      topics.game,
      '--ecommerce-topic',
      topics.shop,
      '--partitions',
      '3',
    ]);
    expect(result).toMatchObject({ code: 0 });
    for (const [topic, reader] of [
      [topics.game, GAME_STREAM.readerType],
      [topics.shop, ECOMMERCE_STREAM.readerType],
    ] as const) {
      const values = await readAll(topic, 1500);
      expect(values).toHaveLength(1500);
      const decoded = await Promise.all(values.map((v) => serde.decode(v, reader)));
      expect(decoded.filter((d) => !d.ok)).toEqual([]);
    }
  });

  it('--seed with --start-time gives identical dumps, chaos included', async () => {
    const dumpOf = async (n: number) => {
      const file = join(scratch, `dump-${n}.jsonl`);
      const args = [
        '--count',
        '3000',
        '--rate',
        'max',
        '--seed',
        '42',
        '--start-time',
        '2026-03-01T00:00:00Z',
        '--dump',
        file,
        '--game-topic',
        `e2e-${run}-seeded-game`,
        '--ecommerce-topic',
        `e2e-${run}-seeded-shop`,
        '--out-of-order-ratio',
        '0.2',
        '--late-ratio',
        '0.01',
        '--duplicate-ratio',
        '0.02',
        '--malformed-ratio',
        '0.01',
      ];
      expect(await simulator(args)).toMatchObject({ code: 0 });
      return [
        readFileSync(join(scratch, `dump-${n}.game.jsonl`)),
        readFileSync(join(scratch, `dump-${n}.ecommerce.jsonl`)),
      ];
    };
    const [first, second] = [await dumpOf(1), await dumpOf(2)];
    for (const [i, file] of first.entries()) {
      expect(file.toString().split('\n').filter(Boolean)).toHaveLength(3000);
      expect(file.equals(second[i] as Buffer)).toBe(true);
    }
  });

  it('stops on SIGINT, flushing what it produced: the topic holds exactly the dumped messages', async () => {
    const topic = `e2e-${run}-sigint`;
    const file = join(scratch, 'sigint.jsonl');
    const { child } = startSimulator([
      '--scenario',
      'game',
      '--rate',
      '500',
      '--game-topic',
      topic,
      '--dump',
      file,
    ]);
    await until(() => existsSync(file) && statSync(file).size > 10_000); // producing, signal handler in place
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const dumped = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    expect(dumped).toBeGreaterThan(0);
    expect(await readAll(topic, dumped)).toHaveLength(dumped);
  });

  it('each malformed kind decodes to the typed error a dead-letter path expects', async () => {
    const topic = `e2e-${run}-malformed`;
    const file = join(scratch, 'malformed.jsonl');
    const args = [
      '--scenario',
      'game',
      '--count',
      '400',
      '--rate',
      'max',
      '--seed',
      '3',
      '--malformed-ratio',
      '1',
      '--game-topic',
      topic,
      '--dump',
      file,
    ];
    expect(await simulator(args)).toMatchObject({ code: 0 });
    const dumped = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { key: string; malformed?: string });
    const consumed = await readMessages(topic, 400);
    // Kafka keeps order per key: line up the n-th dumped and consumed message of each key.
    const byKey = new Map<string, Buffer[]>();
    for (const m of consumed) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m.value]);
    const expected: Record<string, string> = {
      bad_magic_byte: 'BAD_MAGIC_BYTE',
      unknown_schema_id: 'UNKNOWN_SCHEMA_ID',
      truncated_body: 'TRUNCATED_BODY',
      not_avro: 'NOT_AVRO',
      json: 'BAD_MAGIC_BYTE',
    };
    const seen = new Set<string>();
    for (const { key, malformed: kind } of dumped) {
      const value = (byKey.get(key) as Buffer[]).shift() as Buffer;
      if (!kind) continue;
      seen.add(kind);
      const result = await serde.decode(value, GAME_STREAM.readerType);
      expect({ kind, code: result.ok ? 'decoded' : result.error.code }).toEqual({
        kind,
        code: expected[kind],
      });
    }
    expect(seen.size).toBe(5);
  });

  it('rejects bad options with every problem named and exit code 2', async () => {
    const result = await simulator([
      '--rate',
      'fast',
      '--duplicate-ratio',
      '2',
      '--scenario',
      'chess',
    ]);
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/--scenario=chess/);
    expect(result.output).toMatch(/--rate=fast/);
    expect(result.output).toMatch(/--duplicate-ratio=2/);
  });

  it('reads the Kafka and registry credentials from the env as the aggregator does (an incomplete one is refused, exit 2)', async () => {
    const result = await simulator(['--count', '1'], {
      KAFKA_SASL_MECHANISM: 'plain',
      SCHEMA_REGISTRY_USERNAME: 'rta',
    });
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME/);
    expect(result.output).toMatch(
      /SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD go together/,
    );
  });
});
