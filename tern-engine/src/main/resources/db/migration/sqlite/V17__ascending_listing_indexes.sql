-- The listing indexes in ascending order. Written "created_at DESC, id DESC" (the order a listing reads them in), every
-- new run's entry went to the front of each: SQLite then rebalances the first leaf with its neighbours at every split
-- and leaves the pages it splits half full for good, and each commit wrote three or four pages of each into the log.
-- In ascending order a new run's entry is appended at the end, where the pages fill up; a listing reads the same index
-- backwards (ORDER BY created_at DESC, id DESC in every listing; retention reads runs_finished_created forwards).
DROP INDEX runs_org_created;
CREATE INDEX runs_org_created ON runs (org_id, created_at, id);
DROP INDEX runs_unfinished;
CREATE INDEX runs_unfinished ON runs (org_id, created_at, id) WHERE status IN ('queued', 'running');
DROP INDEX runs_finished_created;
CREATE INDEX runs_finished_created ON runs (status, created_at, id) WHERE status IN ('completed', 'failed', 'cancelled');
DROP INDEX runs_kind_created;
CREATE INDEX runs_kind_created ON runs (org_id, kind, created_at, id);
DROP INDEX runs_name_created;
CREATE INDEX runs_name_created ON runs (org_id, name, created_at, id);
DROP INDEX runs_thread;
CREATE INDEX runs_thread ON runs (thread_id, created_at, id) WHERE thread_id IS NOT NULL;
DROP INDEX runs_parent;
CREATE INDEX runs_parent ON runs (parent_id, created_at, id) WHERE parent_id IS NOT NULL;
