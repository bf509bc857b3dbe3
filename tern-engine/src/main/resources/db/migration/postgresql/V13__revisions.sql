-- Revisions: the revision of its definition a run was started on (and replays on); NULL for runs recorded before
-- revisions ("unknown": any node with the name may take them). Listed by revision through an index.
ALTER TABLE runs ADD COLUMN revision TEXT;
CREATE INDEX runs_revision ON runs (revision, created_at DESC, id DESC) WHERE revision IS NOT NULL;
