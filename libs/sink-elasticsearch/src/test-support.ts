import type { WindowResult } from '@rta/windowing';
import type { IndexSpec } from './index-spec';

/** Test helpers (not exported from the lib). */
export function spec(index: string): IndexSpec {
  return {
    metric: 'events_per_region',
    index,
    daily: true,
    keys: [
      { field: 'region', type: 'keyword' },
      { field: 'event_type', type: 'keyword' },
    ],
    values: [
      { field: 'event_count', type: 'long' },
      { field: 'revenue', type: 'double', minorUnits: 2 },
    ],
  };
}

let base = Date.UTC(2030, 5, 1) + Math.floor(Math.random() * 1e5) * 60_000;
export const freshWindow = () => (base += 60_000);

export function result(
  start: number,
  region: string,
  count: number,
  version: number,
  final = false,
  revenueMinor: number | string = count * 100,
): WindowResult {
  return {
    kind: 'result',
    id: `events_per_region|0|${start}|${region}`,
    version,
    metric: 'events_per_region',
    partition: 0,
    windowStartMs: start,
    windowEndMs: start + 60_000,
    key: { region, event_type: 'player_join' },
    values: { event_count: count, revenue: revenueMinor },
    final,
  };
}
