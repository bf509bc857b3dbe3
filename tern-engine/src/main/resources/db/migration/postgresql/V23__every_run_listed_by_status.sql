-- No index holds every run in creation order (see the SQLite migration of the same name): one index entry fewer for
-- every run created, and for every new row version an end writes into all indexes. A listing of every run merges the
-- organisation's unfinished runs with each finished status's, each read in order (RunListing).
DROP INDEX runs_org_created;
DROP INDEX runs_finished_created;
CREATE INDEX runs_finished_created ON runs (org_id, status, created_at, id)
  WHERE status IN ('completed', 'failed', 'cancelled');
