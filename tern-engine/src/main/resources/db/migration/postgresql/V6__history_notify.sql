-- Streams on every node wake when a run's history grows: each insert into history notifies
-- 'HISTORY:<run id>' on the engine's channel as its transaction commits. PostgreSQL folds
-- identical notifications of one transaction into one, so a batch of many events for a run
-- sends one. Doing it here saves the writer a round trip per commit.
CREATE FUNCTION tern_history_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tern_signals', 'HISTORY:' || NEW.run_id);
  RETURN NULL;
END
$$;

CREATE TRIGGER history_notify AFTER INSERT ON history FOR EACH ROW EXECUTE FUNCTION tern_history_notify();
