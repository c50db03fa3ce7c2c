import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Type } from 'avsc';
import { DecodeError, EncodeError } from './errors';
import { compileFastReader, FastReader } from './fast-reader';
import { registrationError } from './registration-errors';
import {
  checkHeader,
  decodeBody,
  DecodeResult,
  HEADER_BYTES,
  MAGIC_BYTE,
  Resolver,
} from './wire-format';

export type { DecodeResult } from './wire-format';

/**
 * Read once: a CommonJS transform (tsx, jest) turns each use of an imported binding into a getter
 * call, and these are used per record.
 */
const checkFrame = checkHeader;
const readBody = decodeBody;
const DecodeErrorType = DecodeError;
const BODY_AT = HEADER_BYTES;

/**
 * Avro serde over a Confluent-compatible registry. Schemas are registered under `<topic>-value`
 * (TopicNameStrategy); writer schemas are fetched by id once and cached; decoding resolves the
 * writer's schema to the caller's reader schema, so old and new versions read alike.
 * Bad input never throws: `decode` returns a typed error.
 */
export class AvroSerde {
  private readonly writers = new Map<number, Promise<Type>>();
  /** Writer schemas fetched already: decoding with them needs no promise. */
  private readonly knownWriters = new Map<number, Type>();
  /** reader type → writer schema id → resolver (or why none can exist). */
  private readonly resolvers = new WeakMap<Type, Map<number, Resolver | DecodeError>>();
  /** Writer schema id → its compiled reader (null: avsc reads it, see compileFastReader). */
  private readonly fastReaders = new Map<number, FastReader | null>();
  /**
   * The last (reader, writer id) decoded with: a topic's records almost all share one, so most
   * records skip both maps.
   */
  private last:
    | {
        reader: Type | undefined;
        schemaId: number;
        writer: Type;
        resolver: Resolver | DecodeError | undefined;
        /** When the writer's schema is the reader's: no resolution changes a value. */
        fast: FastReader | undefined;
      }
    | undefined;

  constructor(private readonly registry: SchemaRegistry) {}

  /** `auth`: HTTP basic credentials for a secured registry (a secret: never log it). */
  static forUrl(
    url: string,
    auth?: { readonly username: string; readonly password: string },
  ): AvroSerde {
    return new AvroSerde(
      new SchemaRegistry({
        host: url,
        clientId: 'rt-analytics',
        retry: { retries: 3 },
        ...(auth ? { auth: { ...auth } } : {}),
      }),
    );
  }

  /**
   * Registers `schema` for `topic`'s values; returns its id. Idempotent for an unchanged schema.
   */
  async register(
    topic: string,
    schema: object,
    compatibility = COMPATIBILITY.BACKWARD,
  ): Promise<number> {
    const subject = `${topic}-value`;
    try {
      const { id } = await this.registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
        { subject, compatibility },
      );
      return id;
    } catch (cause) {
      throw registrationError(subject, compatibility, cause);
    }
  }

  /** Encodes `event` with schema `schemaId`; throws EncodeError naming every invalid field. */
  async encode(schemaId: number, event: unknown): Promise<Buffer> {
    return (await this.encoderFor(schemaId))(event);
  }

  /** A synchronous encoder for one schema id, for hot paths (the schema is fetched once, here). */
  async encoderFor(schemaId: number): Promise<(event: unknown) => Buffer> {
    const type = await this.writerType(schemaId);
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt8(MAGIC_BYTE, 0);
    header.writeUInt32BE(schemaId, 1);
    return (event) => {
      let body: Buffer;
      try {
        body = type.toBuffer(event);
      } catch (cause) {
        throw new EncodeError(schemaId, invalidPaths(type, event), { cause });
      }
      return Buffer.concat([header, body], HEADER_BYTES + body.length);
    };
  }

  /**
   * Decodes Confluent-framed Avro, read with `reader` (default: the writer's own schema). A null
   * value (tombstone) is EMPTY_MESSAGE.
   */
  async decode<T>(bytes: Buffer | null, reader?: Type): Promise<DecodeResult<T>> {
    const known = this.decodeKnown<T>(bytes, reader);
    if (known) return known;
    const schemaId = (bytes as Buffer).readUInt32BE(1);
    try {
      await this.writerType(schemaId);
    } catch (error) {
      return { ok: false, error: error as DecodeError };
    }
    return this.decodeKnown<T>(bytes, reader) as DecodeResult<T>;
  }

  /**
   * `decode` without a promise, for hot loops: undefined when the writer schema has not been
   * fetched yet (then await `decode`, which fetches it once).
   */
  decodeKnown<T>(bytes: Buffer | null, reader?: Type): DecodeResult<T> | undefined {
    const header = checkFrame(bytes);
    if (header) return header;
    const framed = bytes as Buffer;
    const schemaId = framed.readUInt32BE(1);
    let last = this.last;
    if (last?.schemaId !== schemaId || last.reader !== reader) {
      const writer = this.knownWriters.get(schemaId);
      if (!writer) return undefined;
      last = this.last = {
        reader,
        schemaId,
        writer,
        resolver: this.resolverFor(schemaId, writer, reader),
        fast: this.fastReaderFor(schemaId, writer, reader),
      };
    }
    const { writer, resolver, fast } = last;
    if (resolver instanceof DecodeErrorType) return { ok: false, error: resolver };
    const value = fast?.(framed, BODY_AT);
    if (value !== undefined) return { ok: true, value: value as T, schemaId };
    return readBody<T>(framed, schemaId, reader ?? writer, resolver);
  }

  private writerType(schemaId: number): Promise<Type> {
    let pending = this.writers.get(schemaId);
    if (!pending) {
      pending = this.fetchWriter(schemaId);
      this.writers.set(schemaId, pending);
      pending.catch(() => this.writers.delete(schemaId)); // a failed lookup is retried next time
    }
    return pending;
  }

  private async fetchWriter(schemaId: number): Promise<Type> {
    try {
      const writer = (await this.registry.getSchema(schemaId)) as unknown as Type;
      this.knownWriters.set(schemaId, writer);
      return writer;
    } catch (cause) {
      const status = (cause as { status?: number }).status;
      if (status === 404)
        return Promise.reject(
          new DecodeError(
            'UNKNOWN_SCHEMA_ID',
            `schema id ${schemaId} is not in the registry`,
            schemaId,
            { cause },
          ),
        );
      return Promise.reject(
        new DecodeError(
          'REGISTRY_UNAVAILABLE',
          `could not fetch schema id ${schemaId}: ${(cause as Error).message}`,
          schemaId,
          { cause },
        ),
      );
    }
  }

  private fastReaderFor(schemaId: number, writer: Type, reader?: Type): FastReader | undefined {
    if (reader && reader !== writer && !reader.equals(writer)) return undefined;
    let fast = this.fastReaders.get(schemaId);
    if (fast === undefined)
      this.fastReaders.set(schemaId, (fast = compileFastReader(writer) ?? null));
    return fast ?? undefined;
  }

  /**
   * Cached per (reader, writer id); a writer the reader cannot read (another record) is a typed
   * error.
   */
  private resolverFor(
    schemaId: number,
    writer: Type,
    reader?: Type,
  ): Resolver | DecodeError | undefined {
    if (!reader || reader === writer) return undefined;
    let byWriter = this.resolvers.get(reader);
    if (!byWriter) this.resolvers.set(reader, (byWriter = new Map()));
    let resolver = byWriter.get(schemaId);
    if (!resolver) {
      try {
        resolver = reader.createResolver(writer);
      } catch (cause) {
        const what = `schema ${schemaId} (${writer.name ?? 'unnamed'}) cannot be read as ${reader.name ?? 'the reader schema'}`;
        resolver = new DecodeError(
          'WRONG_SCHEMA',
          `${what}: ${(cause as Error).message}`,
          schemaId,
          { cause },
        );
      }
      byWriter.set(schemaId, resolver);
    }
    return resolver;
  }
}

function invalidPaths(type: Type, value: unknown): string[] {
  const paths: string[] = [];
  type.isValid(value, { errorHook: (path) => paths.push(path.join('.') || '(root)') });
  return paths;
}
