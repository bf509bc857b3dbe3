-- Revisions: every agent or workflow run is pinned to the revision of its definition it started on (NULL for call runs
-- and runs created before revisions), with the release channel that chose it and snapshots of its execution profile and
-- run policy (JSON text). A node claims only runs whose revision it has loaded.
ALTER TABLE runs ADD COLUMN revision TEXT;
ALTER TABLE runs ADD COLUMN release_channel TEXT;
ALTER TABLE runs ADD COLUMN execution_profile TEXT;
ALTER TABLE runs ADD COLUMN run_policy TEXT;
CREATE INDEX runs_revision ON runs (name, revision) WHERE status IN ('queued', 'running');
-- The revisions each node has loaded, refreshed with its leases: a run whose revision no live node has waits visibly.
CREATE TABLE node_revisions (
  node_id    TEXT    NOT NULL,
  definition TEXT    NOT NULL,
  revision   TEXT    NOT NULL,
  seen_at    INTEGER NOT NULL,
  PRIMARY KEY (node_id, definition, revision)
);
-- Release channels: a channel names the revision new runs of a definition start on.
CREATE TABLE channels (
  name       TEXT    NOT NULL,
  definition TEXT    NOT NULL,
  revision   TEXT    NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (name, definition)
);
ALTER TABLE schedules ADD COLUMN release_channel TEXT;
