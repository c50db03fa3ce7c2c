import type { GameEvent, GameEventType, Region } from '@rta/event-schemas';
import { Rng } from './rng';
import type { Scenario } from './scenario';

export interface GameScenarioOptions {
  /** How many players exist (default 1,000). Memory grows linearly: ~100 bytes each. */
  readonly players?: number;
}

interface Player {
  readonly id: string;
  readonly region: Region;
  readonly platform: string;
  level: number;
  online: boolean;
  match: { id: string; map: string } | undefined;
}

/** Region shares of the player base. */
const REGIONS: Record<Exclude<Region, 'UNKNOWN'>, number> = {
  NA: 30,
  EU: 30,
  ASIA: 20,
  MENA: 8,
  SA: 7,
  OCE: 5,
};
const MAPS = ['arena', 'desert', 'city', 'forest', 'harbor'];
const ENEMIES = ['goblin', 'orc', 'dragon', 'skeleton', 'troll', 'bandit'];
const DIRECTIONS = ['north', 'south', 'east', 'west'];
/** Shop items and their prices in cents. */
const SHOP: Record<string, number> = {
  'health-potion': 99,
  'mana-potion': 149,
  'iron-sword': 499,
  'dragon-shield': 999,
  'legendary-skin': 1999,
};
const LOOT = ['coin-pouch', 'health-potion', 'gem', 'scroll', 'key'];

/** What a player in the lobby does next, and in a match (weights). */
const LOBBY: Partial<Record<GameEventType, number>> = {
  match_start: 50,
  item_purchase: 15,
  player_move: 20,
  player_leave: 15,
};
const IN_MATCH: Partial<Record<GameEventType, number>> = {
  enemy_defeated: 35,
  player_attack: 20,
  player_move: 15,
  item_collect: 10,
  item_use: 8,
  level_up: 4,
  match_end: 8,
};

/**
 * Game telemetry with believable behaviour: players join, play matches (attacks, defeats, loot,
 * level-ups), buy items in the lobby, and leave. Each event moves one player's state machine, so
 * a player's events always make sense in order (a match ends only after it started).
 */
export class GameScenario implements Scenario<GameEvent> {
  readonly name = 'game';
  private readonly players: Player[];

  constructor(
    private readonly rng: Rng,
    options: GameScenarioOptions = {},
  ) {
    const count = options.players ?? 1_000;
    const width = String(count - 1).length;
    this.players = Array.from({ length: count }, (_, i) => ({
      id: `player-${String(i).padStart(width, '0')}`,
      region: rng.weighted(REGIONS),
      platform: rng.pick(['pc', 'console', 'mobile']),
      level: rng.int(1, 50),
      online: false,
      match: undefined,
    }));
  }

  keyOf(event: GameEvent): string {
    return event.player_id;
  }

  next(eventTimeMs: number): GameEvent {
    const player = this.rng.pick(this.players);
    const type = this.nextType(player);
    // base() reads the state before act() changes it: match_end still carries its match id.
    return { ...this.base(player, type, eventTimeMs), ...this.act(player, type) };
  }

  private nextType(player: Player): GameEventType {
    if (!player.online) return 'player_join';
    return this.rng.weighted(player.match ? IN_MATCH : LOBBY) as GameEventType;
  }

  /** Applies the event to the player's state and returns its payload. */
  private act(player: Player, type: GameEventType): Partial<GameEvent> {
    switch (type) {
      case 'player_join':
        player.online = true;
        return {};
      case 'player_leave':
        player.online = false;
        return {};
      case 'match_start':
        player.match = { id: this.rng.uuid(), map: this.rng.pick(MAPS) };
        return { match_id: player.match.id, map: player.match.map };
      case 'match_end':
        player.match = undefined;
        return { score: this.rng.int(0, 5_000), outcome: this.rng.pick(['win', 'loss', 'draw']) };
      case 'level_up':
        player.level = Math.min(player.level + 1, 100);
        return {};
      case 'enemy_defeated':
        return { enemy_type: this.rng.pick(ENEMIES) };
      case 'player_attack':
        return { target: this.rng.pick(ENEMIES) };
      case 'player_move':
        return { direction: this.rng.pick(DIRECTIONS) };
      case 'item_collect':
        return { item_id: this.rng.pick(LOOT) };
      case 'item_use':
        return { item_id: this.rng.pick(LOOT) };
      case 'item_purchase':
        return this.purchase();
      default:
        return {};
    }
  }

  private purchase(): Partial<GameEvent> {
    const item = this.rng.pick(Object.keys(SHOP));
    return { item_id: item, price_minor: SHOP[item] as number, currency: 'USD' };
  }

  private base(player: Player, type: GameEventType, timestamp: number): GameEvent {
    return {
      event_id: this.rng.uuid(),
      event_type: type,
      player_id: player.id,
      region: player.region,
      timestamp,
      player_level: player.level,
      match_id: player.match?.id ?? null,
      map: player.match?.map ?? null,
      item_id: null,
      price_minor: null,
      currency: null,
      enemy_type: null,
      target: null,
      direction: null,
      score: null,
      outcome: null,
      platform: player.platform,
    };
  }
}
