-- The runs list filtered by kind (GET /v1/runs?kind=, the web console's Kind filter), newest first:
-- without this index a kind whose runs are all old is found by walking runs_created past every newer
-- run. kind never changes, so the index costs nothing on the updates of a run (they stay HOT as before).
CREATE INDEX runs_kind_created ON runs (kind, created_at DESC, id DESC);
