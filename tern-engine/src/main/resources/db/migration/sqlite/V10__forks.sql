-- A forked run names the run and the step it was forked from; its steps before that step are copies of the original's.
ALTER TABLE runs ADD COLUMN forked_from TEXT;
ALTER TABLE runs ADD COLUMN forked_step INTEGER;
-- The model (and parameters) a run's model calls use instead of the configured one, as JSON (a counterfactual fork).
ALTER TABLE runs ADD COLUMN model_choice TEXT;
