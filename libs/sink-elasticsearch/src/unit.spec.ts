import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientOptionsFromEnv } from './client-options';
import { classifyBulkItem } from './errors';
import { indexFor } from './index-spec';
import { spec } from './test-support';

describe('clientOptionsFromEnv', () => {
  it('reads an API key, or basic auth, and a CA file for TLS', () => {
    const ca = join(mkdtempSync(join(tmpdir(), 'es-ca-')), 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
    expect(
      clientOptionsFromEnv('https://es:9200', {
        ELASTICSEARCH_API_KEY: 'k',
        ELASTICSEARCH_CA_FILE: ca,
      }),
    ).toEqual({
      node: 'https://es:9200',
      auth: { apiKey: 'k' },
      tls: { ca: expect.stringContaining('BEGIN CERTIFICATE') },
    });
    expect(
      clientOptionsFromEnv('http://es', {
        ELASTICSEARCH_USERNAME: 'u',
        ELASTICSEARCH_PASSWORD: 'p',
      }),
    ).toEqual({ node: 'http://es', auth: { username: 'u', password: 'p' } });
    expect(clientOptionsFromEnv('http://es', {})).toEqual({ node: 'http://es' });
  });
});

describe('bulk item verdicts', () => {
  it('404 is fine for a delete (nothing to delete) but not for an index operation (a lost document)', () => {
    expect(classifyBulkItem({ status: 404 }, 'm', 1, true)).toBe('ok');
    expect(
      classifyBulkItem({ status: 404, type: 'index_not_found_exception' }, 'm', 1),
    ).toMatchObject({ code: 'DOCUMENT_REJECTED' });
  });

  it.each([
    [{ status: 201 }, 'ok'],
    [{ status: 409, type: 'version_conflict_engine_exception' }, 'stale'],
    [{ status: 429, type: 'es_rejected_execution_exception' }, 'retry'],
    [{ status: 503 }, 'retry'],
  ])('%j → %s', (item, verdict) => expect(classifyBulkItem(item, 'm', 1)).toBe(verdict));

  it('a parsing failure is a mapping conflict naming the metric', () => {
    expect(
      classifyBulkItem(
        { status: 400, type: 'document_parsing_exception', reason: 'failed to parse field [n]' },
        'm',
        'x',
      ),
    ).toMatchObject({ code: 'MAPPING_CONFLICT', retriable: false, details: { metric: 'm' } });
  });
});

it('daily indices are named by the window start in UTC', () => {
  expect(indexFor(spec('game-events-time-agg'), Date.UTC(2026, 2, 1, 23, 59))).toBe(
    'game-events-time-agg-2026.03.01',
  );
});
