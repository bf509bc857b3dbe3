-- A step's step_started and step_completed events written together may be one row: the step_completed row, with the
-- started event's time here (its data is the completed event's without durationMs, its sequence the row's minus one).
-- See the design notes, "A step's start rides in its completion's row".
ALTER TABLE history ADD COLUMN started_at BIGINT;
