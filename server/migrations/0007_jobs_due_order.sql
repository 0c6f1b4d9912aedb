-- The runner claims queued jobs in (run_at, id) order, a few at a time: with id in the index the
-- claim reads the first rows of an ordered walk instead of sorting every due job (a backlog of
-- 200,000 jobs made each claim on PostgreSQL sort them all).
DROP INDEX jobs_due;
CREATE INDEX jobs_due ON jobs (status, run_at, id);
