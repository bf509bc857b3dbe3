package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunStatus;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What an executing run waits on ({@code runs.waiting_on}, {@code waiting_since}): a limit or a human, marked with a
 * history event the attempt waits for; an event or a child run, noted by a write nobody waits for. Sleeps are marked by
 * their own checkpoints ({@link WaitChange}).
 */
final class WaitWrites {
    private final RunRows rows;

    WaitWrites(RunRows rows) {
        this.rows = rows;
    }

    /** Records {@code waitingOn} ({@code null}: nothing) with its history event; false if the attempt lost the run. */
    boolean mark(Tx tx, String runId, int attempt, String waitingOn, HistoryEventType event, JsonNode data, Instant now)
            throws SQLException {
        RunStatus visible = limitStatus(event);
        boolean owned = visible == null
                ? rows.appendOwnedHistory(tx, runId, attempt, event, now, null, data)
                        .isPresent()
                : rows.appendOwnedStatusChange(tx, runId, attempt, event, now, null, data, visible)
                        .isPresent();
        if (!owned) return false;
        tx.update(
                RunsSql.SET_WAITING,
                NamedSql.Params.of("waitingOn", waitingOn)
                        .and("waitingSince", waitingOn == null ? null : now)
                        .and("updatedAt", now)
                        .and("runId", runId));
        return true;
    }

    /** Notes {@code waitingOn} while the attempt owns the run (a write nobody waits for); 0 rows if it lost the run. */
    int note(Tx tx, String runId, int attempt, String waitingOn, Instant since) throws SQLException {
        return tx.update(
                RunsSql.NOTE_WAITING,
                NamedSql.Params.of("waitingOn", waitingOn)
                        .and("since", since)
                        .and("runId", runId)
                        .and("attempt", attempt));
    }

    /** Waiting on a limit shows the run as queued to clients, acquiring it as running again: status changes both. */
    private static RunStatus limitStatus(HistoryEventType event) {
        return switch (event) {
            case WAITING_ON_LIMIT -> RunStatus.QUEUED;
            case LIMIT_ACQUIRED -> RunStatus.RUNNING;
            default -> null;
        };
    }
}
