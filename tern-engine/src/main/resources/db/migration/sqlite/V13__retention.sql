-- Retention (--retention-days): finished runs are found oldest first by when they finished, a batch at a time.
CREATE INDEX runs_finished ON runs (completed_at) WHERE status IN ('completed', 'failed', 'cancelled');
