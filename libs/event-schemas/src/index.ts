export { AvroSerde } from './serde';
export type { DecodeResult } from './serde';
export {
  BAD_RECORD_CODES,
  DecodeError,
  EncodeError,
  EventSchemaError,
  isBadRecordCode,
  SchemaRegistrationError,
} from './errors';
export type { DecodeErrorCode, RegistrationErrorCode } from './errors';
export { ECOMMERCE_STREAM, GAME_STREAM, STREAMS } from './streams';
export type { AnyEvent, EcommerceEvent, EventStream, GameEvent } from './streams';
export { validateEcommerceEvent, validateGameEvent } from './validation';
export type { ValidationCode, ValidationIssue, ValidationPolicy } from './validation';
export * from './generated/types';
