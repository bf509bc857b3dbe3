-- What a run may spend on model calls (JSON: maxCostUsd, maxTokens, onExceeded); NULL: its definition's default.
ALTER TABLE runs ADD COLUMN budget TEXT;
