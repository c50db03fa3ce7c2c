import type { EcommerceEvent } from '@rta/event-schemas';
import { SEED_004_AND_BEYOND } from './ecommerce-seed-004';
import { SEEDS_002_003 } from './ecommerce-seeds-002-003';
import type { CatalogEntry } from './entry';

/**
 * Seeds 002, 003 and 004 (e-commerce), with their README defaults, and what they listed as future
 * work.
 */
export const ECOMMERCE_CATALOG: readonly CatalogEntry<EcommerceEvent>[] = [
  ...SEEDS_002_003,
  ...SEED_004_AND_BEYOND,
];
