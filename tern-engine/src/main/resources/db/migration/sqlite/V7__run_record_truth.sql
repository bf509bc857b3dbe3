-- The run record's optimistic version: every write that changes the run as its views show it
-- (status, waiting state, suspension, output, attempt, cancel request, pending events) adds one;
-- history appended by step checkpoints alone does not.
ALTER TABLE runs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Each time a suspended attempt is taken up again (a timer fired, an event or answer arrived): by
-- which node and when. attempts.node_id stays the node the attempt started on.
CREATE TABLE attempt_resumes (
  run_id     TEXT    NOT NULL,
  attempt    INTEGER NOT NULL,
  node_id    TEXT    NOT NULL,
  resumed_at INTEGER NOT NULL
);
CREATE INDEX attempt_resumes_run ON attempt_resumes (run_id, attempt, resumed_at);

-- Keep-alives now follow runs.owner (the node executing the attempt now), not attempts.node_id.
DROP INDEX attempts_open;
