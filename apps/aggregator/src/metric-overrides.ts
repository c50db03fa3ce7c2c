import type { MetricOverrides } from '@rta/metrics-catalog';
import { Duration, hopping, session, toMillis, tumbling, WindowSpec } from '@rta/windowing';

/**
 * `--metric name.setting=value` → overrides by metric name. Throws a message per bad entry
 * naming what is expected. Windows: `tumbling:1m`, `hopping:5m/1m`, `session:30m`.
 */
export function parseMetricOverrides(entries: readonly string[]): {
  overrides: Record<string, MetricOverrides>;
  problems: string[];
} {
  const overrides: Record<string, Record<string, unknown>> = {};
  const problems: string[] = [];
  for (const entry of entries) {
    const match = /^([a-z][a-z0-9_]*)\.([a-z-]+)=(.+)$/.exec(entry);
    if (!match) {
      problems.push(
        `--metric ${entry}: expected <metric>.<setting>=<value>, e.g. game_events_per_region.watermark-delay=5m`,
      );
      continue;
    }
    const [, name, setting, value] = match as unknown as [string, string, string, string];
    try {
      (overrides[name] ??= {})[settingKey(setting)] = parseSetting(setting, value);
    } catch (error) {
      problems.push(`--metric ${entry}: ${(error as Error).message}`);
    }
  }
  return { overrides: overrides as Record<string, MetricOverrides>, problems };
}

function settingKey(setting: string): keyof MetricOverrides {
  const keys: Record<string, keyof MetricOverrides> = {
    window: 'window',
    'watermark-delay': 'watermarkDelay',
    'allowed-lateness': 'allowedLateness',
    emit: 'emit',
  };
  const key = keys[setting];
  if (!key) throw new Error(`unknown setting ${setting} (known: ${Object.keys(keys).join(', ')})`);
  return key;
}

function parseSetting(setting: string, value: string): unknown {
  if (setting === 'emit') {
    if (value !== 'update' && value !== 'final') throw new Error('emit is update or final');
    return value;
  }
  if (setting === 'window') return parseWindow(value);
  return duration(value);
}

function parseWindow(value: string): WindowSpec {
  const [kind, sizes = ''] = value.split(':');
  const [size = '', advance] = sizes.split('/');
  if (kind === 'tumbling' && advance === undefined) return tumbling(duration(size));
  if (kind === 'hopping' && advance !== undefined)
    return hopping(duration(size), duration(advance));
  if (kind === 'session' && advance === undefined) return session(duration(size));
  throw new Error('window is tumbling:<size>, hopping:<size>/<advance> or session:<gap>');
}

function duration(text: string): number {
  return toMillis(/^\d+$/.test(text) ? Number(text) : (text as Duration));
}
