-- Organisations: every run belongs to one (the token that created it, or 'default'); idempotency keys are unique per
-- organisation, and an organisation's runs are listed, and its unfinished ones counted for its quota, by index.
ALTER TABLE runs ADD COLUMN org_id TEXT NOT NULL DEFAULT 'default';
DROP INDEX runs_idempotency;
CREATE UNIQUE INDEX runs_idempotency ON runs (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX runs_org_created ON runs (org_id, created_at DESC, id DESC);
CREATE INDEX runs_org_unfinished ON runs (org_id) WHERE status IN ('queued', 'running');
ALTER TABLE schedules ADD COLUMN org_id TEXT NOT NULL DEFAULT 'default';
-- Schedules per organisation per second (a quota), counted in the transaction that creates the run.
CREATE TABLE org_rates (
  org_id TEXT    NOT NULL,
  at_second BIGINT NOT NULL,
  count  INTEGER NOT NULL,
  PRIMARY KEY (org_id, at_second)
);
