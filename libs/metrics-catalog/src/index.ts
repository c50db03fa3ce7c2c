import type { EcommerceEvent, GameEvent } from '@rta/event-schemas';
import { ECOMMERCE_CATALOG } from './ecommerce';
import { build, BuiltMetric, CatalogEntry, MetricOverrides } from './entry';
import { GAME_CATALOG } from './game';

export { ECOMMERCE_CATALOG } from './ecommerce';
export { build, COUNT, DISTINCT_COUNT, MONEY, REQUIRED, storage, TIME } from './entry';
export type { BuiltMetric, CatalogEntry, MetricOverrides, StoredValue, ViewExtras } from './entry';
export { GAME_CATALOG } from './game';

/**
 * Every metric the seeds computed, and more, built with the seeds' defaults unless overridden by
 * name.
 */
export function gameMetrics(
  overrides: Readonly<Record<string, MetricOverrides>> = {},
): BuiltMetric<GameEvent>[] {
  return buildAll(GAME_CATALOG, overrides);
}

export function ecommerceMetrics(
  overrides: Readonly<Record<string, MetricOverrides>> = {},
): BuiltMetric<EcommerceEvent>[] {
  return buildAll(ECOMMERCE_CATALOG, overrides);
}

function buildAll<E>(
  entries: readonly CatalogEntry<E>[],
  overrides: Readonly<Record<string, MetricOverrides>>,
): BuiltMetric<E>[] {
  const names = new Set(entries.map((e) => e.spec.name));
  const unknown = Object.keys(overrides).filter((name) => !names.has(name));
  if (unknown.length > 0)
    throw new RangeError(
      `overrides for unknown metrics: ${unknown.join(', ')} (known: ${[...names].join(', ')})`,
    );
  return entries.map((entry) => build(entry, overrides[entry.spec.name]));
}
