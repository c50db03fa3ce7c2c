-- A bucket of ids is megabytes of random hex: pglz (the default TOAST compression) spent most of
-- a checkpoint's time compressing it to about half. Stored out of line uncompressed, writing 1.5M
-- ids took 0.9 s instead of 2.6 s (tmp benchmark of writeCheckpoints; lz4 is not built in here).
ALTER TABLE dedupe_ids ALTER COLUMN ids SET STORAGE EXTERNAL;
