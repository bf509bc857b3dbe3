CREATE TABLE runs (
  id               TEXT PRIMARY KEY,
  kind             TEXT    NOT NULL,
  name             TEXT    NOT NULL,
  status           TEXT    NOT NULL,
  input            TEXT,
  output           TEXT,
  error            TEXT,
  created_at       INTEGER NOT NULL,
  started_at       INTEGER,
  completed_at     INTEGER,
  updated_at       INTEGER NOT NULL,
  attempt          INTEGER NOT NULL DEFAULT 0,
  owner            TEXT,
  ready_at         INTEGER,
  suspended        INTEGER NOT NULL DEFAULT 0,
  wake_at          INTEGER,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  signal_seq       INTEGER NOT NULL DEFAULT 0,
  inbox_seq        INTEGER NOT NULL DEFAULT 0,
  last_event_seq   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_ready ON runs (ready_at) WHERE status IN ('queued', 'running');
CREATE INDEX runs_owner ON runs (owner) WHERE status = 'running';
CREATE INDEX runs_created ON runs (created_at DESC, id DESC);
CREATE INDEX runs_name_created ON runs (name, created_at DESC, id DESC);
CREATE INDEX runs_status_created ON runs (status, created_at DESC, id DESC);

CREATE TABLE steps (
  run_id       TEXT    NOT NULL,
  seq          INTEGER NOT NULL,
  name         TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  status       TEXT    NOT NULL,
  input        TEXT,
  output       TEXT,
  error        TEXT,
  attempts     INTEGER NOT NULL,
  started_at   INTEGER NOT NULL,
  completed_at INTEGER,
  run_attempt  INTEGER NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

CREATE TABLE history (
  run_id    TEXT    NOT NULL,
  event_seq INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  at        INTEGER NOT NULL,
  attempt   INTEGER,
  step_seq  INTEGER,
  data      TEXT,
  PRIMARY KEY (run_id, event_seq)
) WITHOUT ROWID;

CREATE TABLE inbox (
  run_id    TEXT    NOT NULL,
  inbox_seq INTEGER NOT NULL,
  name      TEXT    NOT NULL,
  payload   TEXT,
  at        INTEGER NOT NULL,
  PRIMARY KEY (run_id, inbox_seq)
) WITHOUT ROWID;

CREATE TABLE attempts (
  run_id             TEXT    NOT NULL,
  attempt            INTEGER NOT NULL,
  node_id            TEXT    NOT NULL,
  started_at         INTEGER NOT NULL,
  last_keep_alive_at INTEGER NOT NULL,
  ended_at           INTEGER,
  outcome            TEXT,
  PRIMARY KEY (run_id, attempt)
) WITHOUT ROWID;
CREATE INDEX attempts_open ON attempts (node_id) WHERE ended_at IS NULL;
