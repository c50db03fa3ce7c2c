import { cpus, totalmem } from 'node:os';
import {
  consumeKafkajs,
  consumePlatformatic,
  encodedEvents,
  produceKafkajs,
  producePlatformatic,
} from './client-ceilings';
import { Measurement, report } from './report';

/**
 * The Kafka clients' ceilings on this machine, beside each other (see client-ceilings.ts).
 * Fixed seed, median of RUNS runs.
 *   npx nx run bench:clients            (EVENTS=200000 RUNS=3 BATCH=2000)
 */
const EVENTS = Number(process.env['EVENTS'] ?? 200_000);
const RUNS = Number(process.env['RUNS'] ?? 3);

export async function clientCeilings(events = EVENTS, runsWanted = RUNS): Promise<Measurement[]> {
  const messages = await encodedEvents(events);
  const runs = {
    kafkajsProduce: [] as number[],
    platformaticProduce: [] as number[],
    kafkajsConsume: [] as number[],
    platformaticConsume: [] as number[],
  };
  for (let run = 0; run < runsWanted; run += 1) {
    const { rate, topic } = await produceKafkajs(messages);
    runs.kafkajsProduce.push(rate);
    runs.platformaticProduce.push(await producePlatformatic(messages));
    runs.kafkajsConsume.push(await consumeKafkajs(topic, events));
    runs.platformaticConsume.push(await consumePlatformatic(topic, events));
    process.stderr.write(
      `run ${run + 1}: ${Object.entries(runs)
        .map(([k, v]) => `${k} ${Math.round(v.at(-1) as number)}`)
        .join(', ')} msg/s\n`,
    );
  }
  return [
    {
      name: 'kafkajs 2.2.4: produce (acks=all, idempotent)',
      unit: 'msg/s',
      runs: runs.kafkajsProduce,
    },
    {
      name: '@platformatic/kafka 1.35.0: produce (acks=all, idempotent)',
      unit: 'msg/s',
      runs: runs.platformaticProduce,
    },
    { name: 'kafkajs 2.2.4: consume + Avro decode', unit: 'msg/s', runs: runs.kafkajsConsume },
    {
      name: '@platformatic/kafka 1.35.0: consume + Avro decode',
      unit: 'msg/s',
      runs: runs.platformaticConsume,
    },
  ];
}

if (require.main === module) {
  clientCeilings().then(
    (measurements) => {
      report(
        'Kafka client ceilings',
        {
          events: EVENTS,
          runs: RUNS,
          cores: cpus().length,
          memoryGiB: Math.round(totalmem() / 2 ** 30),
          node: process.version,
        },
        measurements,
      );
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
