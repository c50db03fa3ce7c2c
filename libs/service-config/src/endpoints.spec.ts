import { DEFAULT_ENDPOINTS, loadServiceEndpoints, redact, ServiceConfigError } from './index';

describe('loadServiceEndpoints', () => {
  it('falls back to the loopback defaults when nothing is set', () => {
    expect(loadServiceEndpoints({})).toEqual(DEFAULT_ENDPOINTS);
  });

  it('treats empty variables as unset', () => {
    expect(loadServiceEndpoints({ KAFKA_BROKERS: '', DATABASE_URL: '' })).toEqual(
      DEFAULT_ENDPOINTS,
    );
  });

  it('reads every variable and normalises lists and trailing slashes', () => {
    const endpoints = loadServiceEndpoints({
      KAFKA_BROKERS: ' kafka-1:9092, kafka-2:19092 ,',
      SCHEMA_REGISTRY_URL: 'http://registry:8081/',
      ELASTICSEARCH_URL: 'https://es.example:9243//',
      DATABASE_URL: 'postgresql://u:p@db:5433/metrics',
    });
    expect(endpoints).toEqual({
      kafkaBrokers: ['kafka-1:9092', 'kafka-2:19092'],
      schemaRegistryUrl: 'http://registry:8081',
      elasticsearchUrl: 'https://es.example:9243',
      databaseUrl: 'postgresql://u:p@db:5433/metrics',
    });
  });

  it('reports every wrong variable at once, naming each one', () => {
    const attempt = () =>
      loadServiceEndpoints({
        KAFKA_BROKERS: 'localhost',
        ELASTICSEARCH_URL: 'ftp://es',
        DATABASE_URL: 'mysql://u:hunter2@db/x',
      });
    expect(attempt).toThrow(ServiceConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ServiceConfigError).problems;
      expect(problems).toHaveLength(3);
      expect(problems[0]).toMatch(/^KAFKA_BROKERS=localhost: expected host:port/);
      expect(problems[1]).toMatch(/^ELASTICSEARCH_URL=ftp:\/\/es: expected an http\(s\) URL/);
      expect(problems[2]).toMatch(/^DATABASE_URL=mysql:\/\/u:\*\*\*@db\/x/);
      expect((error as Error).message).not.toContain('hunter2');
      expect((error as ServiceConfigError).code).toBe('SERVICE_CONFIG_INVALID');
    }
  });
});

describe('redact', () => {
  it('hides a URL password and leaves everything else alone', () => {
    expect(redact('postgres://me:s3cret@h:1/db')).toBe('postgres://me:***@h:1/db');
    expect(redact('http://h:9200')).toBe('http://h:9200');
  });
});
