CREATE TABLE runs (
  id               TEXT PRIMARY KEY,
  kind             TEXT    NOT NULL,
  name             TEXT    NOT NULL,
  status           TEXT    NOT NULL,
  input            TEXT,
  output           TEXT,
  error            TEXT,
  created_at       BIGINT NOT NULL,
  started_at       BIGINT,
  completed_at     BIGINT,
  updated_at       BIGINT NOT NULL,
  attempt          BIGINT NOT NULL DEFAULT 0,
  owner            TEXT,
  ready_at         BIGINT,
  suspended        BIGINT NOT NULL DEFAULT 0,
  wake_at          BIGINT,
  cancel_requested BIGINT NOT NULL DEFAULT 0,
  signal_seq       BIGINT NOT NULL DEFAULT 0,
  inbox_seq        BIGINT NOT NULL DEFAULT 0,
  last_event_seq   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX runs_ready ON runs (ready_at) WHERE status IN ('queued', 'running');
CREATE INDEX runs_owner ON runs (owner) WHERE status = 'running';
CREATE INDEX runs_created ON runs (created_at DESC, id DESC);
CREATE INDEX runs_name_created ON runs (name, created_at DESC, id DESC);
CREATE INDEX runs_status_created ON runs (status, created_at DESC, id DESC);

CREATE TABLE steps (
  run_id       TEXT    NOT NULL,
  seq          BIGINT NOT NULL,
  name         TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  status       TEXT    NOT NULL,
  input        TEXT,
  output       TEXT,
  error        TEXT,
  attempts     BIGINT NOT NULL,
  started_at   BIGINT NOT NULL,
  completed_at BIGINT,
  run_attempt  BIGINT NOT NULL,
  PRIMARY KEY (run_id, seq)
);

CREATE TABLE history (
  run_id    TEXT    NOT NULL,
  event_seq BIGINT NOT NULL,
  type      TEXT    NOT NULL,
  at        BIGINT NOT NULL,
  attempt   BIGINT,
  step_seq  BIGINT,
  data      TEXT,
  PRIMARY KEY (run_id, event_seq)
);

CREATE TABLE inbox (
  run_id    TEXT    NOT NULL,
  inbox_seq BIGINT NOT NULL,
  name      TEXT    NOT NULL,
  payload   TEXT,
  at        BIGINT NOT NULL,
  PRIMARY KEY (run_id, inbox_seq)
);

CREATE TABLE attempts (
  run_id             TEXT    NOT NULL,
  attempt            BIGINT NOT NULL,
  node_id            TEXT    NOT NULL,
  started_at         BIGINT NOT NULL,
  last_keep_alive_at BIGINT NOT NULL,
  ended_at           BIGINT,
  outcome            TEXT,
  PRIMARY KEY (run_id, attempt)
);
CREATE INDEX attempts_open ON attempts (node_id) WHERE ended_at IS NULL;
