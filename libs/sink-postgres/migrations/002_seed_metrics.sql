-- Seed metrics. Each metric has a base table with one row per (window, key, source partition)
-- (the windowing engine keeps state per input partition) and a view with one row per (window, key).
-- Rows are full snapshots: `version` (events included) only grows; sinks keep the highest.

-- seed 004: product views per product and window
CREATE TABLE product_view_window_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  product_id       text NOT NULL,
  source_partition integer     NOT NULL,
  view_count       bigint NOT NULL,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, product_id, source_partition)
);
CREATE VIEW product_view_window AS
  SELECT window_start,
         max(window_end) AS window_end,
         product_id,
         sum(view_count)::bigint AS view_count,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM product_view_window_by_partition
  GROUP BY window_start, product_id;

-- seed 004: events per category and window
CREATE TABLE category_activity_window_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  category         text NOT NULL,
  source_partition integer     NOT NULL,
  event_count      bigint NOT NULL,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, category, source_partition)
);
CREATE VIEW category_activity_window AS
  SELECT window_start,
         max(window_end) AS window_end,
         category,
         sum(event_count)::bigint AS event_count,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM category_activity_window_by_partition
  GROUP BY window_start, category;

-- seed 004: purchase revenue per category and window, exact to the cent
CREATE TABLE category_revenue_window_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  category         text NOT NULL,
  source_partition integer     NOT NULL,
  total_revenue    numeric(18,2) NOT NULL,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, category, source_partition)
);
CREATE VIEW category_revenue_window AS
  SELECT window_start,
         max(window_end) AS window_end,
         category,
         sum(total_revenue)::numeric(18,2) AS total_revenue,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM category_revenue_window_by_partition
  GROUP BY window_start, category;

-- seed 000: events per region and type per window (index game-events-time-agg)
CREATE TABLE game_events_per_region_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  region           text NOT NULL,
  event_type       text NOT NULL,
  source_partition integer     NOT NULL,
  event_count      bigint NOT NULL,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, region, event_type, source_partition)
);
CREATE VIEW game_events_per_region AS
  SELECT window_start,
         max(window_end) AS window_end,
         region,
         event_type,
         sum(event_count)::bigint AS event_count,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM game_events_per_region_by_partition
  GROUP BY window_start, region, event_type;

-- purchases and revenue per region and window
CREATE TABLE game_revenue_per_region_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  region           text NOT NULL,
  source_partition integer     NOT NULL,
  purchase_count   bigint NOT NULL,
  revenue          numeric(18,2) NOT NULL,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, region, source_partition)
);
CREATE VIEW game_revenue_per_region AS
  SELECT window_start,
         max(window_end) AS window_end,
         region,
         sum(purchase_count)::bigint AS purchase_count,
         sum(revenue)::numeric(18,2) AS revenue,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM game_revenue_per_region_by_partition
  GROUP BY window_start, region;

-- distinct players per region and window (players are partition-disjoint: sums are exact)
CREATE TABLE game_players_per_region_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  region           text NOT NULL,
  source_partition integer     NOT NULL,
  unique_players   bigint NOT NULL,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, region, source_partition)
);
CREATE VIEW game_players_per_region AS
  SELECT window_start,
         max(window_end) AS window_end,
         region,
         sum(unique_players)::bigint AS unique_players,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM game_players_per_region_by_partition
  GROUP BY window_start, region;
