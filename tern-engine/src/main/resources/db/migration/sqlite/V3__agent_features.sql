-- Agent features: links between runs, deadlines, idempotency, threads, webhooks, what a run waits on,
-- typed steps with token and cost usage, and questions to humans.
ALTER TABLE runs ADD COLUMN parent_id TEXT;
ALTER TABLE runs ADD COLUMN thread_id TEXT;
ALTER TABLE runs ADD COLUMN deadline_at INTEGER;
ALTER TABLE runs ADD COLUMN idempotency_key TEXT;
ALTER TABLE runs ADD COLUMN webhook_url TEXT;
ALTER TABLE runs ADD COLUMN continued_from TEXT;
ALTER TABLE runs ADD COLUMN agent_id TEXT;
ALTER TABLE runs ADD COLUMN waiting_on TEXT;
ALTER TABLE runs ADD COLUMN waiting_since INTEGER;
ALTER TABLE runs ADD COLUMN blocking_interaction TEXT;
CREATE UNIQUE INDEX runs_idempotency ON runs (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX runs_thread ON runs (thread_id, created_at) WHERE thread_id IS NOT NULL;
CREATE INDEX runs_parent ON runs (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX runs_agent ON runs (agent_id, created_at) WHERE agent_id IS NOT NULL;

ALTER TABLE steps ADD COLUMN step_type TEXT;
ALTER TABLE steps ADD COLUMN input_tokens INTEGER;
ALTER TABLE steps ADD COLUMN output_tokens INTEGER;
ALTER TABLE steps ADD COLUMN cost_usd REAL;

CREATE TABLE interactions (
  id            TEXT PRIMARY KEY,
  run_id        TEXT NOT NULL,
  step_seq      INTEGER NOT NULL,
  prompt        TEXT NOT NULL,
  answer_schema TEXT,
  status        TEXT NOT NULL,
  answer        TEXT,
  created_at    INTEGER NOT NULL,
  timeout_at    INTEGER,
  answered_at   INTEGER
);
CREATE INDEX interactions_run ON interactions (run_id, created_at);
