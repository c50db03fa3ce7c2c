import { Client } from '@elastic/elasticsearch';

/** The client's constructor options (the package's ESM typings do not export the name). */
export type ClientOptions = ConstructorParameters<typeof Client>[0];
import {
  BatchingWriter,
  BatchLimits,
  ResultSink,
  RetryPolicy,
  SinkError,
  SinkHooks,
  SinkItem,
  snapshotRank,
  withRetry,
} from '@rta/sink-core';
import { classifyBulkItem, classifyTransportError } from './errors';
import {
  documentId,
  IndexSpec,
  indexFor,
  indexTemplate,
  toDocument,
  validateIndexSpec,
} from './index-spec';

export type { SinkItem } from '@rta/sink-core';

/**
 * The external version is sink-core's snapshot rank: Elasticsearch itself then applies the version
 * rule.
 */
export function externalVersion(item: SinkItem): number {
  return snapshotRank(item.kind === 'result' && item.final, item.version);
}

export interface ElasticsearchSinkOptions {
  /**
   * @elastic/elasticsearch client options: node, auth ({ apiKey } or { username, password }), tls
   * ({ ca }).
   */
  readonly client: ClientOptions;
  readonly indices: readonly IndexSpec[];
  /** Replicas per index (default 0: right for one local node; use 1+ on a cluster). */
  readonly replicas?: number;
  readonly batch?: BatchLimits;
  readonly retry?: RetryPolicy;
  readonly hooks?: SinkHooks<SinkItem>;
}

type Operation = {
  readonly item: SinkItem;
  readonly action: Record<string, unknown>;
  readonly doc?: Record<string, unknown>;
};

/**
 * Writes window results to Elasticsearch with the bulk API. Documents have deterministic ids and
 * external versions (`external_gte`), so a rewrite overwrites, a stale snapshot is refused by
 * Elasticsearch itself (409, counted as done), and a final result replaces a live one of the same
 * version. Per-item failures are handled one by one: retriable ones are retried, the rest rejected.
 */
export class ElasticsearchSink implements ResultSink {
  readonly name = 'elasticsearch';
  private readonly specs = new Map<string, IndexSpec>();
  private readonly writer: BatchingWriter<SinkItem>;

  private constructor(
    readonly client: Client,
    private readonly options: ElasticsearchSinkOptions,
  ) {
    for (const spec of options.indices) {
      validateIndexSpec(spec);
      this.specs.set(spec.metric, spec);
    }
    this.writer = new BatchingWriter(
      (items) => this.writeBatch(items),
      (item) => 300 + (item.kind === 'result' ? JSON.stringify(item.values).length : 0),
      options.batch,
    );
  }

  /** Connects and puts the index templates (explicit mappings) before any document is written. */
  static async open(options: ElasticsearchSinkOptions): Promise<ElasticsearchSink> {
    const sink = new ElasticsearchSink(
      new Client({ maxRetries: 0, requestTimeout: 30_000, ...options.client }),
      options,
    );
    try {
      for (const spec of options.indices) {
        await withRetry(async () => {
          await sink.client.indices
            .putIndexTemplate(indexTemplate(spec, options.replicas ?? 0) as never)
            .catch((e: unknown) => Promise.reject(classifyTransportError(e)));
        }, options.retry);
      }
    } catch (error) {
      await sink.client.close();
      throw error;
    }
    return sink;
  }

  write(items: readonly SinkItem[]): Promise<void> {
    for (const item of items) this.spec(item.metric);
    return this.writer.write(items);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  stores(metric: string): boolean {
    return this.specs.has(metric);
  }

  async check(): Promise<void> {
    await this.client.cluster.health({ timeout: '2s' });
  }

  async close(): Promise<void> {
    await this.writer.close();
    await this.client.close();
  }

  private async writeBatch(items: SinkItem[]): Promise<void> {
    const started = performance.now();
    let pending = items.map((item) => this.operation(item));
    const rejected: [SinkItem, SinkError][] = [];
    await withRetry(
      async () => {
        pending = await this.bulk(pending, rejected);
        if (pending.length > 0)
          throw new SinkError(
            'ELASTICSEARCH_BUSY',
            `${pending.length} documents to retry (429/503)`,
            true,
          );
      },
      {
        ...this.options.retry,
        onRetry: this.options.hooks?.onRetry ?? this.options.retry?.onRetry,
      },
    );
    for (const [item, error] of rejected) await this.options.hooks?.onRejected?.(item, error);
    this.options.hooks?.onWritten?.(items.length, performance.now() - started);
  }

  /** Sends one bulk request; returns the operations to try again and collects the rejected ones. */
  private async bulk(
    operations: Operation[],
    rejected: [SinkItem, SinkError][],
  ): Promise<Operation[]> {
    const body = operations.flatMap((op) => (op.doc ? [op.action, op.doc] : [op.action]));
    const response = await this.client
      .bulk({ operations: body })
      .catch((e: unknown) => Promise.reject(classifyTransportError(e)));
    if (!response.errors) return [];
    const retry: Operation[] = [];
    response.items.forEach((entry, i) => {
      const op = operations[i] as Operation;
      const result = Object.values(entry)[0] as {
        status: number;
        error?: { type?: string; reason?: string };
      };
      const verdict = classifyBulkItem(
        { status: result.status, type: result.error?.type, reason: result.error?.reason },
        op.item.metric,
        op.doc ?? op.item.id,
        !op.doc,
      );
      if (verdict === 'retry') retry.push(op);
      else if (verdict instanceof SinkError) {
        if (!this.options.hooks?.onRejected) throw verdict;
        rejected.push([op.item, verdict]);
      }
    });
    return retry;
  }

  private operation(item: SinkItem): Operation {
    const spec = this.spec(item.metric);
    const target = {
      _index: indexFor(spec, item.windowStartMs),
      _id: documentId(item),
      version: externalVersion(item),
      version_type: 'external_gte',
    };
    if (item.kind === 'retract') return { item, action: { delete: target } };
    return { item, action: { index: target }, doc: toDocument(spec, item) };
  }

  private spec(metric: string): IndexSpec {
    const spec = this.specs.get(metric);
    if (!spec)
      throw new SinkError(
        'UNKNOWN_METRIC',
        `no Elasticsearch index is configured for metric ${metric}`,
        false,
        { metric },
      );
    return spec;
  }
}
