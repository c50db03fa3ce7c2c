import type { ServiceEndpoints } from '@rta/service-config';
import { elasticsearchService } from './elasticsearch';
import { kafkaService } from './kafka';
import { postgresService } from './postgres';
import { schemaRegistryService } from './schema-registry';
import type { ServiceSpec } from './types';

export type { ServiceContext, ServiceSpec } from './types';

export const SERVICE_NAMES = ['kafka', 'schema-registry', 'elasticsearch', 'postgres'] as const;

/** The local services, listening where the shared env names (KAFKA_BROKERS, ...) say. */
export function localServices(endpoints: ServiceEndpoints): ServiceSpec[] {
  return [
    kafkaService(endpoints.kafkaBrokers[0] ?? '127.0.0.1:9092'),
    schemaRegistryService(endpoints.schemaRegistryUrl),
    elasticsearchService(endpoints.elasticsearchUrl),
    postgresService(endpoints.databaseUrl),
  ];
}
