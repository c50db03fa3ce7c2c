import { describeCredentials, loadServiceCredentials } from './credentials';
import { ServiceConfigError } from './errors';

describe('loadServiceCredentials', () => {
  it('is empty without any variable (local services need none)', () => {
    expect(loadServiceCredentials({})).toEqual({});
  });

  it('reads SASL/SCRAM, TLS and registry auth', () => {
    const c = loadServiceCredentials({
      KAFKA_TLS: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 's3cret',
      SCHEMA_REGISTRY_USERNAME: 'r',
      SCHEMA_REGISTRY_PASSWORD: 'p',
    });
    expect(c).toEqual({
      kafkaTls: true,
      kafkaSasl: { mechanism: 'scram-sha-512', username: 'u', password: 's3cret' },
      registryAuth: { username: 'r', password: 'p' },
    });
    expect(describeCredentials(c)).not.toContain('s3cret');
    expect(describeCredentials(c)).toContain('SASL scram-sha-512 as u');
  });

  it('reports every wrong value at once without echoing secrets', () => {
    let error: unknown;
    try {
      loadServiceCredentials({
        KAFKA_SASL_MECHANISM: 'gssapi',
        KAFKA_SASL_PASSWORD: 'topsecret',
        SCHEMA_REGISTRY_USERNAME: 'r',
        KAFKA_TLS_CA_FILE: '/nonexistent/ca.pem',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServiceConfigError);
    expect((error as ServiceConfigError).problems).toEqual([
      expect.stringContaining('KAFKA_SASL_MECHANISM'),
    ]);
    expect((error as Error).message).not.toContain('topsecret');
  });

  it('checks that credentials come in pairs and CA files exist', () => {
    expect(() =>
      loadServiceCredentials({
        KAFKA_SASL_MECHANISM: 'plain',
        SCHEMA_REGISTRY_USERNAME: 'r',
        KAFKA_TLS_CA_FILE: '/nonexistent/ca.pem',
      }),
    ).toThrow(
      /KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME[\s\S]*SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD go together[\s\S]*KAFKA_TLS_CA_FILE=\/nonexistent\/ca.pem: cannot read it \(ENOENT\)/,
    );
  });
});
