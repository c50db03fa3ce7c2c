-- Input offsets and engine state per (consumer group, topic, partition), committed in the same
-- transaction as the results they cover: exactly-once results in PostgreSQL.
CREATE TABLE stream_checkpoints (
  consumer_group text        NOT NULL,
  topic          text        NOT NULL,
  partition      integer     NOT NULL,
  next_offset    bigint      NOT NULL,
  engine_state   jsonb,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, topic, partition)
);
