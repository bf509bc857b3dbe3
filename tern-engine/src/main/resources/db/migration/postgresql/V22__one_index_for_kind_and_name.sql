-- One listing index for a run's kind and name instead of one each (see the SQLite migration of the same name): one
-- index entry fewer for every run created, and for every new row version an end writes into all indexes. A listing
-- by kind and name reads it in order; by name alone it merges the pages of the name under each kind, by kind alone the
-- pages of each of the kind's names, found by a skip scan of the same index (RunListing).
DROP INDEX runs_kind_created;
DROP INDEX runs_name_created;
CREATE INDEX runs_kind_name_created ON runs (org_id, kind, name, created_at, id);
