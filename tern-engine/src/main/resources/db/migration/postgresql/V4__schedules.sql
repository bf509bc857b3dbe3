-- Schedules: start a workflow run with a fixed input every interval or on a cron expression.
-- A node claims a due schedule for a short lease (claimed_by, claimed_until), starts the run with the
-- idempotency key sched:<id>:<next_fire_at>, then advances next_fire_at; the key makes a fire start
-- at most one run even when two nodes race or a node dies between the two steps.
CREATE TABLE schedules (
  id            TEXT PRIMARY KEY,
  workflow_name TEXT   NOT NULL,
  input         TEXT   NOT NULL,
  cron          TEXT,
  interval_ms   BIGINT,
  timezone      TEXT   NOT NULL,
  paused        BIGINT NOT NULL DEFAULT 0,
  next_fire_at  BIGINT NOT NULL,
  last_fire_at  BIGINT,
  last_run_id   TEXT,
  last_error    TEXT,
  fire_count    BIGINT NOT NULL DEFAULT 0,
  claimed_by    TEXT,
  claimed_until BIGINT,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);
CREATE INDEX schedules_due ON schedules (next_fire_at) WHERE paused = 0;
