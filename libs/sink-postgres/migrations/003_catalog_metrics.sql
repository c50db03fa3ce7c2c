-- The rest of the metric catalog (libs/metrics-catalog): base tables per source partition and
-- views with one row per (window, key). Views roll partitions up per column: counts and money
-- add, first/last times take min/max, ratios are computed from the summed parts.

-- seed 000 "Live Event Count": all game events per 10 seconds
CREATE TABLE game_live_event_count_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  source_partition integer     NOT NULL,
  event_count      bigint,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, source_partition)
);
CREATE VIEW game_live_event_count AS
  SELECT window_start,
         max(window_end) AS window_end,
         sum(event_count)::bigint AS event_count,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM game_live_event_count_by_partition
  GROUP BY window_start;

-- seed 002 category_purchases: purchases and revenue per category (30 s)
CREATE TABLE category_purchases_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  category         text NOT NULL,
  source_partition integer     NOT NULL,
  purchase_count   bigint,
  total_revenue    numeric(18,2),
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, category, source_partition)
);
CREATE VIEW category_purchases AS
  SELECT window_start,
         max(window_end) AS window_end,
         category,
         sum(purchase_count)::bigint AS purchase_count,
         sum(total_revenue)::numeric(18,2) AS total_revenue,
         round(sum(total_revenue) / nullif(sum(purchase_count), 0), 2) AS avg_order_value,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM category_purchases_by_partition
  GROUP BY window_start, category;

-- seed 002 customer_activity: per customer and location (60 s)
CREATE TABLE customer_activity_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  customer_id      text NOT NULL,
  location         text NOT NULL,
  source_partition integer     NOT NULL,
  event_count      bigint,
  purchase_count   bigint,
  total_spent      numeric(18,2),
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, customer_id, location, source_partition)
);
CREATE VIEW customer_activity AS
  SELECT window_start,
         max(window_end) AS window_end,
         customer_id,
         location,
         sum(event_count)::bigint AS event_count,
         sum(purchase_count)::bigint AS purchase_count,
         sum(total_spent)::numeric(18,2) AS total_spent,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM customer_activity_by_partition
  GROUP BY window_start, customer_id, location;

-- seed 003 event_counts: per event type (1 min); users are partition-disjoint, so distinct counts add up
CREATE TABLE event_counts_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  event_type       text NOT NULL,
  source_partition integer     NOT NULL,
  event_count      bigint,
  unique_users     bigint,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, event_type, source_partition)
);
CREATE VIEW event_counts AS
  SELECT window_start,
         max(window_end) AS window_end,
         event_type,
         sum(event_count)::bigint AS event_count,
         sum(unique_users)::bigint AS unique_users,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM event_counts_by_partition
  GROUP BY window_start, event_type;

-- seed 003 user_activity: per customer, 5-minute windows sliding by 1 minute (a customer lives in one partition)
CREATE TABLE user_activity_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  customer_id      text NOT NULL,
  source_partition integer     NOT NULL,
  event_count      bigint,
  event_types      jsonb,
  first_event      timestamptz,
  last_event       timestamptz,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, customer_id, source_partition)
);
CREATE VIEW user_activity AS
  SELECT window_start,
         max(window_end) AS window_end,
         customer_id,
         sum(event_count)::bigint AS event_count,
         min(event_types::text)::jsonb AS event_types,
         min(first_event) AS first_event,
         max(last_event) AS last_event,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM user_activity_by_partition
  GROUP BY window_start, customer_id;

-- seed 003 purchase_metrics: all purchases per 10 minutes
CREATE TABLE purchase_metrics_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  source_partition integer     NOT NULL,
  total_orders     bigint,
  total_revenue    numeric(18,2),
  max_order_value  numeric(18,2),
  min_order_value  numeric(18,2),
  unique_buyers    bigint,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, source_partition)
);
CREATE VIEW purchase_metrics AS
  SELECT window_start,
         max(window_end) AS window_end,
         sum(total_orders)::bigint AS total_orders,
         sum(total_revenue)::numeric(18,2) AS total_revenue,
         max(max_order_value) AS max_order_value,
         min(min_order_value) AS min_order_value,
         sum(unique_buyers)::bigint AS unique_buyers,
         round(sum(total_revenue) / nullif(sum(total_orders), 0), 2) AS avg_order_value,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM purchase_metrics_by_partition
  GROUP BY window_start;

-- seed 003 session_metrics, made real: session windows (30-minute gap) per session id
CREATE TABLE session_metrics_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  session_id       text NOT NULL,
  source_partition integer     NOT NULL,
  event_count      bigint,
  session_start    timestamptz,
  session_end      timestamptz,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, session_id, source_partition)
);
CREATE VIEW session_metrics AS
  SELECT window_start,
         max(window_end) AS window_end,
         session_id,
         sum(event_count)::bigint AS event_count,
         min(session_start) AS session_start,
         max(session_end) AS session_end,
         extract(epoch FROM max(session_end) - min(session_start))::numeric(18,3) AS duration_seconds,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM session_metrics_by_partition
  GROUP BY window_start, session_id;

-- seed 003 device_stats: per device and location (10 min)
CREATE TABLE device_stats_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  device           text NOT NULL,
  location         text NOT NULL,
  source_partition integer     NOT NULL,
  event_count      bigint,
  unique_users     bigint,
  unique_sessions  bigint,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, device, location, source_partition)
);
CREATE VIEW device_stats AS
  SELECT window_start,
         max(window_end) AS window_end,
         device,
         location,
         sum(event_count)::bigint AS event_count,
         sum(unique_users)::bigint AS unique_users,
         sum(unique_sessions)::bigint AS unique_sessions,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM device_stats_by_partition
  GROUP BY window_start, device, location;

-- beyond the seeds: sessions per customer (30-minute gap), converted or not
CREATE TABLE customer_sessions_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  customer_id      text NOT NULL,
  source_partition integer     NOT NULL,
  event_count      bigint,
  purchase_count   bigint,
  revenue          numeric(18,2),
  session_start    timestamptz,
  session_end      timestamptz,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, customer_id, source_partition)
);
CREATE VIEW customer_sessions AS
  SELECT window_start,
         max(window_end) AS window_end,
         customer_id,
         sum(event_count)::bigint AS event_count,
         sum(purchase_count)::bigint AS purchase_count,
         sum(revenue)::numeric(18,2) AS revenue,
         min(session_start) AS session_start,
         max(session_end) AS session_end,
         sum(purchase_count) > 0 AS converted,
         extract(epoch FROM max(session_end) - min(session_start))::numeric(18,3) AS duration_seconds,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM customer_sessions_by_partition
  GROUP BY window_start, customer_id;

-- beyond the seeds: funnel view → click → cart → purchase per category (10 min)
CREATE TABLE category_funnel_by_partition (
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  category         text NOT NULL,
  source_partition integer     NOT NULL,
  views            bigint,
  clicks           bigint,
  carts            bigint,
  purchases        bigint,
  version          bigint      NOT NULL,
  is_final         boolean     NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, category, source_partition)
);
CREATE VIEW category_funnel AS
  SELECT window_start,
         max(window_end) AS window_end,
         category,
         sum(views)::bigint AS views,
         sum(clicks)::bigint AS clicks,
         sum(carts)::bigint AS carts,
         sum(purchases)::bigint AS purchases,
         round(sum(carts)::numeric / nullif(sum(views), 0), 4) AS view_to_cart,
         round(sum(purchases)::numeric / nullif(sum(carts), 0), 4) AS cart_to_purchase,
         round(sum(purchases)::numeric / nullif(sum(views), 0), 4) AS view_to_purchase,
         bool_and(is_final) AS is_final,
         max(updated_at) AS updated_at
  FROM category_funnel_by_partition
  GROUP BY window_start, category;

-- beyond the seeds: the ten most viewed products per window (exact: ranked over summed counts)
CREATE VIEW top_products AS
  SELECT window_start, window_end, product_id, view_count, rank
  FROM (SELECT window_start, window_end, product_id, view_count,
               rank() OVER (PARTITION BY window_start ORDER BY view_count DESC, product_id) AS rank
        FROM product_view_window) ranked
  WHERE rank <= 10;
