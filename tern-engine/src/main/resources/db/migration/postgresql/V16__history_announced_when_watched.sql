-- Other nodes learn that a run's history grew from the node that wrote it, and only while one of them streams a
-- history (PostgresRunAnnouncer): the trigger notified every listening node of every history row, thousands of
-- notifications a second under load that nobody waited for (+21-39% workflows/s without it in an A/B run).
DROP TRIGGER history_notify ON history;
DROP FUNCTION tern_history_notify();
