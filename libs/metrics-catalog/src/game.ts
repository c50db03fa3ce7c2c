import type { GameEvent } from '@rta/event-schemas';
import { count, countDistinct, sum, tumbling } from '@rta/windowing';
import type { CatalogEntry } from './entry';

const daily = (index: string) => ({ index, daily: true });

/** Seed 000 (game analytics): 1-minute windows, 10-minute watermark, update mode; and beside it. */
export const GAME_CATALOG: readonly CatalogEntry<GameEvent>[] = [
  {
    stream: 'game',
    origin: 'seed 000: count by (region, event_type), Elasticsearch index game-events-time-agg',
    spec: {
      name: 'game_events_per_region',
      window: tumbling('1m'),
      watermarkDelay: '10m',
      groupBy: ['region', 'event_type'],
      aggregate: { event_count: count() },
    },
    postgres: {
      table: 'game_events_per_region',
      keys: [
        { column: 'region', field: 'region', type: 'text' },
        { column: 'event_type', field: 'event_type', type: 'text' },
      ],
      values: [{ column: 'event_count', field: 'event_count', type: 'bigint', notNull: true }],
    },
    elasticsearch: {
      ...daily('game-events-time-agg'),
      aliases: { event_window: 'window_start' }, // the field name seed 000's Kibana dashboards use
      keys: [
        { field: 'region', type: 'keyword' },
        { field: 'event_type', type: 'keyword' },
      ],
      values: [{ field: 'event_count', type: 'long' }],
    },
  },
  {
    stream: 'game',
    origin: 'seed 000 "Live Event Count": all events per 10 seconds',
    spec: {
      name: 'game_live_event_count',
      window: tumbling('10s'),
      watermarkDelay: '10m',
      aggregate: { event_count: count() },
    },
    postgres: {
      table: 'game_live_event_count',
      keys: [],
      values: [{ column: 'event_count', field: 'event_count', type: 'bigint' }],
    },
    elasticsearch: {
      ...daily('rta-game-live-event-count'),
      keys: [],
      values: [{ field: 'event_count', type: 'long' }],
    },
  },
  {
    stream: 'game',
    origin: 'beyond seed 000: purchases and revenue per region',
    spec: {
      name: 'game_revenue_per_region',
      where: (e) => e.event_type === 'item_purchase',
      window: tumbling('1m'),
      watermarkDelay: '10m',
      groupBy: ['region'],
      aggregate: { purchase_count: count(), revenue: sum((e) => e.price_minor ?? undefined) },
    },
    postgres: {
      table: 'game_revenue_per_region',
      keys: [{ column: 'region', field: 'region', type: 'text' }],
      values: [
        { column: 'purchase_count', field: 'purchase_count', type: 'bigint', notNull: true },
        { column: 'revenue', field: 'revenue', type: 'numeric', minorUnits: 2, notNull: true },
      ],
    },
    elasticsearch: {
      ...daily('rta-game-revenue-per-region'),
      keys: [{ field: 'region', type: 'keyword' }],
      values: [
        { field: 'purchase_count', type: 'long' },
        { field: 'revenue', type: 'double', minorUnits: 2 },
      ],
    },
  },
  {
    stream: 'game',
    origin:
      'beyond seed 000: distinct players per region (players are partition-disjoint, so partitions add up)',
    spec: {
      name: 'game_players_per_region',
      window: tumbling('1m'),
      watermarkDelay: '10m',
      groupBy: ['region'],
      aggregate: { unique_players: countDistinct((e) => e.player_id) },
    },
    postgres: {
      table: 'game_players_per_region',
      keys: [{ column: 'region', field: 'region', type: 'text' }],
      values: [
        // players are partition-disjoint (the topic is keyed by player): their counts add up
        {
          column: 'unique_players',
          field: 'unique_players',
          type: 'bigint',
          notNull: true,
          rollup: 'disjointSum',
        },
      ],
    },
    elasticsearch: {
      ...daily('rta-game-players-per-region'),
      keys: [{ field: 'region', type: 'keyword' }],
      values: [{ field: 'unique_players', type: 'long' }],
    },
  },
];
