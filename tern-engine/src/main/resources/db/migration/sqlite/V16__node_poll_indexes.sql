-- The node's own polls read the whole runs table on SQLite: the claim of due runs (every poll interval, in the
-- writer's transaction), the lease renewal and the attempts' keep-alive (every third of a lease). Their conditions on
-- status are written "(…) IS TRUE" so that PostgreSQL's generic plans keep to the index meant for them (RunsSql), and
-- SQLite uses a partial index only for a query whose WHERE clause implies the index's own: these two said
-- "status IN ('queued', 'running')" and "status = 'running'", which no such query implies. They now say what
-- PostgreSQL's say since its V6__hot_path: the rows they hold are the same (a run has a ready time or an owner only
-- while it is unfinished), and "ready_at <= ?" and "owner = ?" imply them. A store of a million finished runs took
-- 360-410 ms for each claim before, about 0.1 ms after.
DROP INDEX runs_ready;
CREATE INDEX runs_ready ON runs (ready_at) WHERE ready_at IS NOT NULL;
DROP INDEX runs_owner;
CREATE INDEX runs_owner ON runs (owner) WHERE owner IS NOT NULL;
