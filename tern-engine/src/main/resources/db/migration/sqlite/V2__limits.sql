CREATE TABLE limits (
  key         TEXT    PRIMARY KEY,
  tokens      REAL    NOT NULL,
  refilled_at INTEGER NOT NULL
);

CREATE TABLE limit_holders (
  key        TEXT    NOT NULL,
  holder     TEXT    NOT NULL,
  node_id    TEXT    NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (key, holder)
);
CREATE INDEX limit_holders_node ON limit_holders (node_id);
