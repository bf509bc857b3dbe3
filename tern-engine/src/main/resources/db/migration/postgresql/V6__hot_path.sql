-- Streams on every node wake when a run's history grows: each insert into history notifies
-- 'HISTORY:<run id>' on the engine's channel as its transaction commits. PostgreSQL folds
-- identical notifications of one transaction into one, so a batch of many events for a run
-- sends one. Doing it here saves the writer a round trip per commit.
CREATE FUNCTION tern_history_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tern_signals', 'HISTORY:' || NEW.run_id);
  RETURN NULL;
END
$$;

CREATE TRIGGER history_notify AFTER INSERT ON history FOR EACH ROW EXECUTE FUNCTION tern_history_notify();

-- The partial indexes on runs no longer name a status. A statement's cached generic plan (the one
-- PostgreSQL keeps for a prepared statement after a few executions, planned once, possibly while
-- the table is new and empty) may use any partial index whose predicate its WHERE clause implies:
-- "WHERE id = $1 AND status = 'running'" implied "status = 'running'" and scanned every running
-- run through runs_owner instead of one row through the primary key. No write to one run by id
-- implies "owner IS NOT NULL" or "ready_at IS NOT NULL", so generic plans keep to the primary key,
-- and the store can let PostgreSQL cache plans instead of planning every execution. Ended runs
-- have neither an owner nor a ready_at, so these indexes hold the same rows as before.
DROP INDEX runs_ready;
CREATE INDEX runs_ready ON runs (ready_at) WHERE ready_at IS NOT NULL;
DROP INDEX runs_owner;
CREATE INDEX runs_owner ON runs (owner) WHERE owner IS NOT NULL;
-- Likewise "WHERE run_id = $1 AND attempt = $2 AND ended_at IS NULL" implied this index's predicate.
DROP INDEX attempts_open;
CREATE INDEX attempts_open ON attempts (node_id, ended_at);
