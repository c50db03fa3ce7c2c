// A service outside the monorepo, using the published packages: compiled by tsc against their
// types, then run by node. It prints one JSON line the test checks.
import { WindowingEngine, count, metric, sum, tumbling } from '@rta/windowing';
import { GAME_STREAM, validateGameEvent } from '@rta/event-schemas';
import { gameEvent } from '@rta/event-schemas/testing';
import { migrate, readCheckpoints } from '@rta/sink-postgres';
import { Pool } from 'pg';

interface Sale {
  readonly at: number;
  readonly shop: string;
  readonly cents: number;
}

function windowed(): unknown[] {
  const sales = metric<Sale>({
    name: 'sales_per_shop',
    eventTime: (e) => e.at,
    window: tumbling('1m'),
    watermarkDelay: '0s',
    groupBy: ['shop'],
    aggregate: { sales: count(), cents: sum((e) => e.cents) },
  });
  const engine = new WindowingEngine([sales], { idleTimeoutMs: 60_000 });
  engine.assign([0], 0);
  const events: Sale[] = [
    { at: 1_000, shop: 'a', cents: 250 },
    { at: 2_000, shop: 'a', cents: 100 },
    { at: 3_000, shop: 'b', cents: 5 },
    { at: 61_000, shop: 'a', cents: 1 },
  ];
  return engine
    .process(0, events, 0)
    .flatMap((o) =>
      o.kind === 'result' ? [{ key: o.key, values: o.values, final: o.final }] : [],
    );
}

async function main(): Promise<void> {
  const event = gameEvent('player_join');
  const decoded = GAME_STREAM.readerType.fromBuffer(GAME_STREAM.readerType.toBuffer(event));
  const pool = new Pool({ connectionString: process.argv[2], max: 1 });
  await migrate(pool);
  const checkpoints = await readCheckpoints(pool, `packaging-${process.pid}`, 'no-such-topic');
  await pool.end();
  const roundTrip = JSON.stringify(decoded) === JSON.stringify(event);
  console.log(
    JSON.stringify({
      windowed: windowed(),
      roundTrip,
      issues: validateGameEvent(event, {
        nowMs: Date.now(),
        maxAgeMs: Infinity,
        maxFutureMs: Infinity,
      }).length,
      checkpoints,
    }),
  );
}

void main();
