-- UUID event ids travel packed, 16 bytes each (bytea, sent binary), instead of one JSON string
-- each: a checkpoint then neither builds nor parses millions of strings, and the aggregator does
-- not keep them alive until the checkpoint (they were most of what its garbage collector promoted).
-- `ids` keeps the ids that are not canonical UUIDs, and every id of rows written before this.
-- Random bytes do not compress: stored out of line uncompressed, like `ids`.
ALTER TABLE dedupe_ids ADD COLUMN uuids bytea;
ALTER TABLE dedupe_ids ALTER COLUMN uuids SET STORAGE EXTERNAL;
