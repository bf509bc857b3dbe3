-- Webhook outbox: one row per run status change of a run with a webhook URL, inserted in the
-- transaction that changed the status; a deliverer sends each until the receiver answers 2xx.
CREATE TABLE webhook_deliveries (
  id              TEXT PRIMARY KEY,
  run_id          TEXT    NOT NULL,
  url             TEXT    NOT NULL,
  status          TEXT    NOT NULL,
  previous_status TEXT,
  event_seq       BIGINT NOT NULL,
  occurred_at     BIGINT NOT NULL,
  state           TEXT    NOT NULL,
  attempts        BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT,
  delivered_at    BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_run ON webhook_deliveries (run_id, event_seq);

CREATE TABLE webhook_attempts (
  delivery_id TEXT    NOT NULL,
  attempt     BIGINT NOT NULL,
  at          BIGINT NOT NULL,
  status_code BIGINT,
  error       TEXT,
  duration_ms BIGINT NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
