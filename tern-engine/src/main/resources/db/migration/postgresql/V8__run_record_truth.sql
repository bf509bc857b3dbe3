-- The run record's optimistic version: every write that changes the run as its views show it
-- (status, waiting state, suspension, output, attempt, cancel request, pending events) adds one,
-- within the statement that makes the change; history appended by step checkpoints alone does not.
ALTER TABLE runs ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- Each time a suspended attempt is taken up again (a timer fired, an event or answer arrived): by
-- which node and when. attempts.node_id stays the node the attempt started on.
CREATE TABLE attempt_resumes (
  run_id     TEXT   NOT NULL,
  attempt    BIGINT NOT NULL,
  node_id    TEXT   NOT NULL,
  resumed_at BIGINT NOT NULL
);
CREATE INDEX attempt_resumes_run ON attempt_resumes (run_id, attempt, resumed_at);

-- Keep-alives now follow runs.owner (the node executing the attempt now, through runs_owner), not
-- attempts.node_id, so this index has no reader left; without it, ending an attempt (ended_at) is
-- a HOT update. A node of an older version sharing the schema would scan attempts when it renews
-- its leases: upgrade the nodes of a cluster together.
DROP INDEX attempts_open;
