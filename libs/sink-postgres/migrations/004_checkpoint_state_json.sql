-- Engine snapshots are stored as written (json, not jsonb): jsonb refuses the NUL character, which
-- user data (distinct values, keys) may contain.
ALTER TABLE stream_checkpoints ALTER COLUMN engine_state TYPE json USING engine_state::json;
