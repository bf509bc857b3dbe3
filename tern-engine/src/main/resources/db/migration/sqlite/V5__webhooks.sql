-- Webhook outbox: one row per run status change of a run with a webhook URL, inserted in the
-- transaction that changed the status; a deliverer sends each until the receiver answers 2xx.
CREATE TABLE webhook_deliveries (
  id              TEXT PRIMARY KEY,
  run_id          TEXT    NOT NULL,
  url             TEXT    NOT NULL,
  status          TEXT    NOT NULL,
  previous_status TEXT,
  event_seq       INTEGER NOT NULL,
  occurred_at     INTEGER NOT NULL,
  state           TEXT    NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  delivered_at    INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_run ON webhook_deliveries (run_id, event_seq);

CREATE TABLE webhook_attempts (
  delivery_id TEXT    NOT NULL,
  attempt     INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  status_code INTEGER,
  error       TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
