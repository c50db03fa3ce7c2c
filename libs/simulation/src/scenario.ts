/** A source of simulated events: each call returns the next event, stamped with `eventTimeMs`. */
export interface Scenario<E> {
  readonly name: 'game' | 'ecommerce';
  next(eventTimeMs: number): E;
  /** The Kafka key of an event (player or customer id), so each entity's events stay in order. */
  keyOf(event: E): string;
}
