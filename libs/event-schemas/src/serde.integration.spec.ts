import { Type } from 'avsc';
import { loadServiceEndpoints } from '@rta/service-config';
import { DecodeError, EncodeError, SchemaRegistrationError } from './errors';
import { ecommerceEvent, gameEvent, KNOWN_ECOMMERCE_TYPES, KNOWN_GAME_TYPES } from './fixtures';
import { AvroSerde } from './serde';
import { ECOMMERCE_STREAM, GAME_STREAM } from './streams';

/** Against the real schema registry (`nx run infra:up`): a missing registry fails these tests. */
const serde = AvroSerde.forUrl(loadServiceEndpoints().schemaRegistryUrl);
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const topic = (name: string) => `test-${run}-${name}`;

const [gameV1, gameV2] = GAME_STREAM.schemaVersions as [object, object];
const [shopV1, shopV2] = ECOMMERCE_STREAM.schemaVersions as [object, object];

async function expectDecodeError(bytes: Buffer, code: DecodeError['code']): Promise<DecodeError> {
  const result = await serde.decode(bytes, GAME_STREAM.readerType);
  if (result.ok) throw new Error(`expected ${code}, decoded ${JSON.stringify(result.value)}`);
  expect(result.error).toBeInstanceOf(DecodeError);
  expect(result.error.code).toBe(code);
  return result.error;
}

describe('AvroSerde round trips through the real registry', () => {
  let gameId: number;
  let shopId: number;

  beforeAll(async () => {
    gameId = await serde.register(topic('game'), gameV2);
    shopId = await serde.register(topic('shop'), shopV2);
  });

  it('registers idempotently under <topic>-value', async () => {
    expect(await serde.register(topic('game'), gameV2)).toBe(gameId);
  });

  it.each(KNOWN_GAME_TYPES)('game %s', async (type) => {
    const event = gameEvent(type);
    const bytes = await serde.encode(gameId, event);
    expect(bytes[0]).toBe(0);
    expect(bytes.readUInt32BE(1)).toBe(gameId);
    expect(await serde.decode(bytes, GAME_STREAM.readerType)).toEqual({
      ok: true,
      value: event,
      schemaId: gameId,
    });
  });

  it.each(KNOWN_ECOMMERCE_TYPES)('e-commerce %s', async (type) => {
    const event = ecommerceEvent(type);
    const decoded = await serde.decode(
      await serde.encode(shopId, event),
      ECOMMERCE_STREAM.readerType,
    );
    expect(decoded).toEqual({ ok: true, value: event, schemaId: shopId });
  });

  it('refuses to encode an event that does not fit, naming the fields', async () => {
    const bad = { ...gameEvent('level_up'), player_level: 'seventeen', region: 'MARS' };
    await expect(serde.encode(gameId, bad)).rejects.toThrow(EncodeError);
    await expect(serde.encode(gameId, bad)).rejects.toMatchObject({
      code: 'INVALID_EVENT',
      paths: ['region', 'player_level'],
    });
  });
});

describe('schema evolution under BACKWARD compatibility', () => {
  it.each([
    ['game', gameV1, gameV2, GAME_STREAM.readerType, gameEvent('item_purchase'), 'platform'],
    [
      'e-commerce',
      shopV1,
      shopV2,
      ECOMMERCE_STREAM.readerType,
      ecommerceEvent('purchase'),
      'coupon_code',
    ],
  ] as const)(
    '%s: v1 data reads with the v2 reader, v2 data with the v1 reader',
    async (name, v1, v2, v2Reader, event, added) => {
      const t = topic(`evolve-${name}`);
      const v1Id = await serde.register(t, v1);
      const v2Id = await serde.register(t, v2);
      expect(v2Id).not.toBe(v1Id);
      const { [added]: _dropped, ...v1Event } = event as unknown as Record<string, unknown>;

      const old = await serde.decode<Record<string, unknown>>(
        await serde.encode(v1Id, v1Event),
        v2Reader,
      );
      expect(old).toEqual({ ok: true, value: { ...v1Event, [added]: null }, schemaId: v1Id });

      const v2Event = { ...event, [added]: 'X' };
      const fresh = await serde.decode(
        await serde.encode(v2Id, v2Event),
        Type.forSchema(v1 as never),
      );
      expect(fresh).toEqual({ ok: true, value: v1Event, schemaId: v2Id });
    },
  );

  it('the real registry refuses an incompatible change with a clear error', async () => {
    const t = topic('incompatible');
    await serde.register(t, gameV1);
    const retyped = {
      ...gameV1,
      fields: (gameV1 as { fields: { name: string }[] }).fields.map((f) =>
        f.name === 'player_level' ? { ...f, type: 'string' } : f,
      ),
    };
    const attempt = serde.register(t, retyped);
    await expect(attempt).rejects.toThrow(SchemaRegistrationError);
    await expect(attempt).rejects.toMatchObject({
      code: 'INCOMPATIBLE_SCHEMA',
      subject: `${t}-value`,
      message: expect.stringMatching(/not BACKWARD compatible/),
      cause: expect.objectContaining({ status: 409 }), // the registry's verdict, not our wrapper's
    });
  });
});

describe('decoding bad bytes gives typed errors, never throws', () => {
  let valid: Buffer;
  beforeAll(async () => {
    valid = await serde.encode(await serde.register(topic('game'), gameV2), gameEvent('match_end'));
  });

  it('empty message', () => expectDecodeError(Buffer.alloc(0), 'EMPTY_MESSAGE'));
  it('a tombstone (null value)', () => expectDecodeError(null as never, 'EMPTY_MESSAGE'));
  it("a message of the other stream, read with this stream's reader", async () => {
    const shopId = await serde.register(topic('shop'), shopV2);
    const error = await expectDecodeError(
      await serde.encode(shopId, ecommerceEvent('search')),
      'WRONG_SCHEMA',
    );
    expect(error.retriable).toBe(false);
  });
  it('bad magic byte (e.g. plain JSON)', () =>
    expectDecodeError(Buffer.from('{"event_type":"player_join"}'), 'BAD_MAGIC_BYTE'));
  it('truncated header', () => expectDecodeError(valid.subarray(0, 3), 'TRUNCATED_HEADER'));
  it('truncated body', () =>
    expectDecodeError(valid.subarray(0, valid.length - 4), 'TRUNCATED_BODY'));
  it('not Avro: bytes left over', () =>
    expectDecodeError(Buffer.concat([valid, Buffer.from([1, 2, 3])]), 'NOT_AVRO'));
  it('not Avro: an impossible enum index', async () => {
    const garbage = Buffer.concat([valid.subarray(0, 5), Buffer.from([2, 0x41, 0x7f, 0x7f, 0x7f])]);
    await expectDecodeError(garbage, 'NOT_AVRO');
  });
  it('unknown schema id', async () => {
    const error = await expectDecodeError(
      Buffer.from([0, 0x7f, 0xff, 0xff, 0x01, 2, 0x41]),
      'UNKNOWN_SCHEMA_ID',
    );
    expect(error.schemaId).toBe(0x7fffff01);
    expect(error.retriable).toBe(false);
  });
  it('registry unreachable is retriable, not a verdict on the bytes', async () => {
    const offline = AvroSerde.forUrl('http://127.0.0.1:1');
    const result = await offline.decode(valid);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({
      code: 'REGISTRY_UNAVAILABLE',
      retriable: true,
    });
  });
  it('registering against an unreachable registry is REGISTRY_UNAVAILABLE, not a refusal of the schema', async () => {
    const offline = AvroSerde.forUrl('http://127.0.0.1:1');
    await expect(
      offline.register(`offline-${Date.now()}`, GAME_STREAM.schemaVersions[0] as object),
    ).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE', retriable: true });
  });
});
