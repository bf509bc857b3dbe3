-- No index holds every run in creation order. runs_org_created held an entry for every run, written into the log at
-- each commit, for one listing: every run of an organisation. That listing now merges the organisation's unfinished
-- runs (runs_unfinished) with each finished status's (runs_finished_created, which leads with the organisation for
-- it), each read in order and at most a page long (RunListing); the organisations' skip scan reads
-- runs_kind_name_created, and retention looks for each organisation's finished runs of each status in turn.
DROP INDEX runs_org_created;
DROP INDEX runs_finished_created;
CREATE INDEX runs_finished_created ON runs (org_id, status, created_at, id)
  WHERE status IN ('completed', 'failed', 'cancelled');
