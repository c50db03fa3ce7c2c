-- Event ids the de-duplicator remembers, written incrementally: each checkpoint adds the ids first
-- seen since the previous one (per event-time bucket) and deletes buckets past the horizon, so a
-- checkpoint costs what changed, not everything remembered. A row is a pure function of the input
-- up to `to_offset`: a restore at offset O reads the rows with to_offset <= O, whoever wrote them.
-- json, not jsonb or text[]: ids are user data and may hold the NUL character.
CREATE TABLE dedupe_ids (
  consumer_group text    NOT NULL,
  topic          text    NOT NULL,
  partition      integer NOT NULL,
  bucket_start   bigint  NOT NULL,
  to_offset      bigint  NOT NULL,
  ids            json    NOT NULL
);
CREATE INDEX dedupe_ids_partition ON dedupe_ids (consumer_group, topic, partition, bucket_start);
