import {
  ECOMMERCE_STREAM,
  EcommerceEvent,
  GAME_STREAM,
  GameEvent,
  validateEcommerceEvent,
  validateGameEvent,
} from '@rta/event-schemas';
import type { BuiltMetric } from '@rta/metrics-catalog';
import type { StreamSpec } from './stream-processor';

/** The game topic with its catalog metrics. */
export function gameStream(
  topic: string,
  metrics: readonly BuiltMetric<GameEvent>[],
): StreamSpec<GameEvent> {
  return {
    topic,
    readerType: GAME_STREAM.readerType,
    metrics: metrics.map((m) => m.metric),
    validate: validateGameEvent,
    eventId: (e) => e.event_id,
    eventTime: GAME_STREAM.eventTime,
    eventType: (e) => e.event_type,
  };
}

/** The e-commerce topic with its catalog metrics. */
export function ecommerceStream(
  topic: string,
  metrics: readonly BuiltMetric<EcommerceEvent>[],
): StreamSpec<EcommerceEvent> {
  return {
    topic,
    readerType: ECOMMERCE_STREAM.readerType,
    metrics: metrics.map((m) => m.metric),
    validate: validateEcommerceEvent,
    eventId: (e) => e.event_id,
    eventTime: ECOMMERCE_STREAM.eventTime,
    eventType: (e) => e.event_type,
  };
}
