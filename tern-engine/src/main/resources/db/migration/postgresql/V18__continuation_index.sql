-- runs_agent held an entry for every run (a run's agent id is its own unless it continues another run), and one
-- query reads it: the run that continues a given one, found when an event is sent to a run that continued as new
-- (InboxWrites.CONTINUATION). Only continuations can match that query, so the index holds only them: one index entry
-- fewer for every run that is created (and, on PostgreSQL, for every new row version an end writes into all indexes).
DROP INDEX runs_agent;
CREATE INDEX runs_continuation ON runs (continued_from) WHERE continued_from IS NOT NULL;
