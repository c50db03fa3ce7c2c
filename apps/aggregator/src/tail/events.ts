import { AvroSerde, DecodeError, STREAMS } from '@rta/event-schemas';
import type { TailEvent } from './format';

export type Decoded =
  | { readonly ok: true; readonly value: TailEvent }
  | { readonly ok: false; readonly error: DecodeError };

type StreamName = keyof typeof STREAMS;

/**
 * Decodes through the registry with the current reader schema of whichever stream wrote the
 * record, so any topic name works (test topics, renamed topics) and v1 data reads as v2. The
 * stream that decoded last is tried first: a topic holds one stream, so almost every record
 * decodes at the first try (the serde caches a writer it cannot read as WRONG_SCHEMA, so the
 * second try costs a map lookup).
 */
export class EventDecoder {
  private order: StreamName[] = ['game', 'ecommerce'];

  constructor(private readonly serde: AvroSerde) {}

  async decode(bytes: Buffer | null): Promise<Decoded> {
    let wrong: DecodeError | undefined;
    for (const name of this.order) {
      const result = await this.serde.decode<TailEvent['event']>(bytes, STREAMS[name].readerType);
      if (result.ok) {
        if (name !== this.order[0]) this.order = [name, ...this.order.filter((n) => n !== name)];
        return { ok: true, value: { stream: name, event: result.value } as TailEvent };
      }
      if (result.error.code !== 'WRONG_SCHEMA') return result;
      wrong = result.error;
    }
    const id = wrong?.schemaId;
    return {
      ok: false,
      error: new DecodeError(
        'WRONG_SCHEMA',
        `schema ${id} is neither a game nor an e-commerce event`,
        id,
        { cause: wrong },
      ),
    };
  }
}

export interface TailFilter {
  /** --type: undefined lets every type through. */
  readonly types?: ReadonlySet<string>;
  /** --key: player_id (game) or customer_id (e-commerce). */
  readonly keys?: ReadonlySet<string>;
}

/** Filters read the decoded event, not the Kafka key: the event's own id is the truth. */
export function matches(e: TailEvent, filter: TailFilter): boolean {
  const key = e.stream === 'game' ? e.event.player_id : e.event.customer_id;
  return (
    (!filter.types || filter.types.has(e.event.event_type)) &&
    (!filter.keys || filter.keys.has(key))
  );
}

/** The short line for a record that could not be decoded: where it is and why, never the bytes. */
export function undecodable(partition: number, offset: string, error: DecodeError): string {
  return `! ${partition}@${offset}: ${error.code}: ${error.message}`;
}
