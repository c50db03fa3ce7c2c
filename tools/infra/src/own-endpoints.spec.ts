import { configuredElsewhere, ownEndpointVariables, registryHintFor } from './own-endpoints';

describe('configuredElsewhere', () => {
  it('ignores unset and empty variables, and values that are the backend’s own (as `env` prints them)', () => {
    expect(configuredElsewhere({}, 'local')).toEqual([]);
    expect(configuredElsewhere({ KAFKA_BROKERS: '' }, 'local')).toEqual([]);
    expect(configuredElsewhere({ ...ownEndpointVariables('docker') }, 'docker')).toEqual([]);
    expect(
      configuredElsewhere(
        {
          ...ownEndpointVariables('local'),
          SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7/',
        },
        'local',
      ),
    ).toEqual([]);
  });

  it('names the variables that point at other services', () => {
    expect(
      configuredElsewhere(
        {
          KAFKA_BROKERS: 'kafka.internal:9092',
          DATABASE_URL: ownEndpointVariables('local')['DATABASE_URL'],
        },
        'local',
      ),
    ).toEqual(['KAFKA_BROKERS']);
    // the local registry URL is not the compose registry's
    expect(configuredElsewhere({ ...ownEndpointVariables('local') }, 'docker')).toEqual([
      'SCHEMA_REGISTRY_URL',
    ]);
  });
});

describe('registryHintFor', () => {
  it('asks for the compose registry URL only on the docker backend, until the env holds it', () => {
    expect(registryHintFor({}, 'local')).toBeUndefined();
    expect(registryHintFor({}, 'docker')).toContain('SCHEMA_REGISTRY_URL=http://127.0.0.1:8081');
    expect(
      registryHintFor({ SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081' }, 'docker'),
    ).toBeUndefined();
  });
});
