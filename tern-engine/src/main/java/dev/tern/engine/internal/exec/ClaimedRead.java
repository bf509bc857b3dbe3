package dev.tern.engine.internal.exec;

import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.store.StoredRun;
import java.util.List;

/**
 * What the dispatcher read for a claimed run together with the claim's other runs, once the claim committed: its row,
 * and its steps unless the claim's read-ahead had reached its bound (null: the run reads its own).
 */
record ClaimedRead(StoredRun row, List<StepRecord> steps) {}
