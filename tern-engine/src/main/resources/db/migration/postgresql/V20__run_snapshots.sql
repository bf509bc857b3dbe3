-- A run's release snapshots (execution profile, run policy) stored once per distinct text: the run's row holds the
-- text's reference ("sha256-" and 22 URL-safe Base64 characters), which every run of a revision shares. Rows written
-- before keep their texts; a read tells the two apart. Never deleted: few, small, shared by runs of any age.
CREATE TABLE run_snapshots (
  id   TEXT NOT NULL PRIMARY KEY,
  body TEXT NOT NULL
);
