-- The runs list filtered by kind (GET /v1/runs?kind=, the web console's Kind filter), newest first:
-- without this index a kind whose runs are all old is found by walking runs_created past every newer
-- run (126 ms median with 100,000 runs, see docs/benchmarks.md). kind never changes, so updates of a
-- run do not touch it.
CREATE INDEX runs_kind_created ON runs (kind, created_at DESC, id DESC);
