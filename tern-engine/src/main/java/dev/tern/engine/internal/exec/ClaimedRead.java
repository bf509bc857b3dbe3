package dev.tern.engine.internal.exec;

import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.store.StoredRun;
import java.util.List;
import java.util.Map;

/**
 * What the dispatcher read for a claimed run together with the claim's other runs, once the claim committed: its row;
 * its steps unless the claim's read-ahead had reached its bound; and for a run an earlier attempt executed, how many
 * times each step was started (null where not read: the run reads its own).
 */
record ClaimedRead(StoredRun row, List<StepRecord> steps, Map<Integer, Integer> stepStarts) {}
