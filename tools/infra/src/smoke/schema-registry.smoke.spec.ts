import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { loadServiceEndpoints } from '@rta/service-config';
import { requireService, uniqueName } from './service-required';

const { schemaRegistryUrl } = loadServiceEndpoints();

const playerJoined = {
  type: 'record',
  name: 'PlayerJoined',
  namespace: 'rta.smoke',
  fields: [
    { name: 'player_id', type: 'string' },
    { name: 'region', type: { type: 'enum', name: 'Region', symbols: ['NA', 'EU', 'ASIA'] } },
    { name: 'timestamp', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ],
};

describe('Schema registry (real, Confluent API): @kafkajs/confluent-schema-registry', () => {
  const registry = new SchemaRegistry({ host: schemaRegistryUrl });
  const subject = `${uniqueName('smoke')}-value`;

  it('registers an Avro schema and round-trips a record in the Confluent wire format', async () => {
    const { id } = await requireService('Schema registry', schemaRegistryUrl, () =>
      registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(playerJoined) },
        { subject },
      ),
    );
    console.info(`registered ${subject} as schema id ${id} at ${schemaRegistryUrl}`);
    expect(await registry.getLatestSchemaId(subject)).toBe(id);

    // Without a logical-type hook avsc reads timestamp-millis as its underlying long (epoch ms).
    const record = {
      player_id: 'p-1',
      region: 'EU',
      timestamp: Date.parse('2024-01-15T10:30:00.000Z'),
    };
    const bytes = await registry.encode(id, record);
    expect(bytes[0]).toBe(0); // magic byte
    expect(bytes.readUInt32BE(1)).toBe(id);
    expect(await registry.decode(bytes)).toEqual(record);
  });

  it('answers 404 for bytes that name a schema id it does not have', async () => {
    const bogus = Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 1, 2, 3]);
    await expect(registry.decode(bogus)).rejects.toMatchObject({
      status: 404,
      message: expect.stringMatching(/not found/),
    });
  });
});
