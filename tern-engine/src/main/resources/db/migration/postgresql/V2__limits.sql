CREATE TABLE limits (
  key         TEXT    PRIMARY KEY,
  tokens      DOUBLE PRECISION    NOT NULL,
  refilled_at BIGINT NOT NULL
);

CREATE TABLE limit_holders (
  key        TEXT    NOT NULL,
  holder     TEXT    NOT NULL,
  node_id    TEXT    NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (key, holder)
);
CREATE INDEX limit_holders_node ON limit_holders (node_id);
