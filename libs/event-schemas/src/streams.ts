import { Type } from 'avsc';
import type { EcommerceEventV2, GameEventV2 } from './generated/types';
import { AVSC_FILES } from './generated/schemas';

/** The current shape of each event: what producers write and consumers read. */
export type GameEvent = GameEventV2;
export type EcommerceEvent = EcommerceEventV2;
export type AnyEvent = GameEvent | EcommerceEvent;

/** A Kafka topic, its event type, its Avro schema versions and its partition key. */
export interface EventStream<E extends AnyEvent = AnyEvent> {
  readonly name: 'game' | 'ecommerce';
  readonly topic: string;
  /** Every version, oldest first; the last is current. Raw JSON, as in the .avsc files. */
  readonly schemaVersions: readonly object[];
  /** The current version as an avsc type (the reader schema for consumers). */
  readonly readerType: Type;
  readonly keyOf: (event: E) => string;
  /** Event time in epoch milliseconds: the one declaration every metric of the stream uses. */
  readonly eventTime: (event: E) => number;
}

const schemas = new Map(AVSC_FILES.map((f) => [f.fileName, f.schema as object]));

/** `<base>.v<N>.avsc` files in numeric version order (v10 after v9). */
function versionsOf(base: string): object[] {
  const version = (name: string) => Number(/\.v(\d+)\.avsc$/.exec(name)?.[1] ?? Number.NaN);
  const found = [...schemas.keys()].filter(
    (name) => name.startsWith(`${base}.v`) && !Number.isNaN(version(name)),
  );
  return found.sort((a, b) => version(a) - version(b)).map((name) => schemas.get(name) as object);
}

function defineStream<E extends AnyEvent>(
  name: EventStream['name'],
  topic: string,
  base: string,
  keyOf: (e: E) => string,
): EventStream<E> {
  const schemaVersions = versionsOf(base);
  const readerType = Type.forSchema(schemaVersions.at(-1) as never);
  return { name, topic, schemaVersions, readerType, keyOf, eventTime: (e) => e.timestamp };
}

/** Game telemetry, keyed by player so each player's events stay in order. */
export const GAME_STREAM = defineStream<GameEvent>(
  'game',
  'game-events',
  'game-event',
  (e) => e.player_id,
);

/** Storefront events, keyed by customer so each session stays in order. */
export const ECOMMERCE_STREAM = defineStream<EcommerceEvent>(
  'ecommerce',
  'ecommerce-events',
  'ecommerce-event',
  (e) => e.customer_id,
);

export const STREAMS = { game: GAME_STREAM, ecommerce: ECOMMERCE_STREAM } as const;
