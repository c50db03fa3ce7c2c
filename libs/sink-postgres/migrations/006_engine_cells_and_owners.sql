-- The engine's open cells (and remembered closed sessions), one row each, written incrementally:
-- each checkpoint upserts the cells changed since the previous one and deletes the ones that
-- closed (end_ms at or before the metric's closed deadline), so a checkpoint costs what changed,
-- not every open window. stream_checkpoints.engine_state keeps the partition's clocks.
-- json, not jsonb: cells hold user data, which may contain the NUL character.
CREATE TABLE engine_cells (
  consumer_group text    NOT NULL,
  topic          text    NOT NULL,
  partition      integer NOT NULL,
  metric         text    NOT NULL,
  cell           text    NOT NULL,
  end_ms         bigint  NOT NULL,
  state          json    NOT NULL,
  PRIMARY KEY (consumer_group, topic, partition, metric, cell)
);
CREATE INDEX engine_cells_end ON engine_cells (consumer_group, topic, partition, metric, end_ms);

-- Fencing: an owner claims a partition by raising its epoch, and every checkpoint transaction
-- checks (and locks) the epoch it claimed. Increments of two owners must never mix: a member that
-- lost the group without noticing has its next checkpoint refused.
CREATE TABLE partition_owners (
  consumer_group text    NOT NULL,
  topic          text    NOT NULL,
  partition      integer NOT NULL,
  epoch          bigint  NOT NULL,
  PRIMARY KEY (consumer_group, topic, partition)
);
