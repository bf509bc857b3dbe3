package dev.tern.engine.internal.exec;

import dev.tern.engine.ErrorInfo;
import dev.tern.engine.internal.store.StoreException;
import dev.tern.engine.internal.store.StoredRun;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The errors a run ends with when it is cancelled or misses its deadline. */
final class EndErrors {
    private static final Logger log = LoggerFactory.getLogger(EndErrors.class);

    private EndErrors() {}

    /** The reason given with the latest cancel request (by a client, or a parent that ended). */
    static ErrorInfo cancelled(ExecutionHost host, String runId) {
        String reason = "the run was cancelled";
        try {
            // the cancel may have interrupted this thread: fenced, the reads do not break their connections
            long last = ReadFence.read(() -> host.store().findRun(runId))
                    .map(StoredRun::lastEventSeq)
                    .orElse(0L);
            for (var e : ReadFence.read(() -> host.store().history(runId, Math.max(0, last - 50), 100))) {
                if (e.type() == dev.tern.engine.HistoryEventType.CANCEL_REQUESTED
                        && e.data() != null
                        && e.data().hasNonNull("reason")) {
                    reason = e.data().get("reason").asText();
                }
            }
        } catch (StoreException e) {
            log.debug("run {}: cancel reason unavailable: {}", runId, e.getMessage());
        }
        return new ErrorInfo("Cancelled", reason, null);
    }

    static ErrorInfo deadline(Instant deadline) {
        return new ErrorInfo("DeadlineExceeded", "the run did not finish by its deadline " + deadline, null);
    }
}
