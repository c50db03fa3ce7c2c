export { clientOptionsFromEnv } from './client-options';
export { classifyBulkItem, classifyTransportError } from './errors';
export { documentId, indexFor, indexTemplate, toDocument } from './index-spec';
export type { IndexSpec, KeyFieldType, ValueFieldType } from './index-spec';
export { ElasticsearchSink, externalVersion } from './sink';
export type { ClientOptions, ElasticsearchSinkOptions, SinkItem } from './sink';
