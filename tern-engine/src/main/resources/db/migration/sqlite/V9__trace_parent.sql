-- The W3C traceparent a run was scheduled under (null when tracing is off): every attempt's spans, on any node and
-- after any crash or sleep, join that trace; continued runs inherit it.
ALTER TABLE runs ADD COLUMN trace_parent TEXT;
