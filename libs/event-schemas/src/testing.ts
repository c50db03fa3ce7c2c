/**
 * Test fixtures for other projects' tests: `import { gameEvent } from
 * '@rta/event-schemas/testing'`.
 */
export {
  ecommerceEvent,
  FIXED_NOW,
  gameEvent,
  KNOWN_ECOMMERCE_TYPES,
  KNOWN_GAME_TYPES,
} from './fixtures';
