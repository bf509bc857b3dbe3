package dev.tern.engine.internal.store;

import dev.tern.engine.StoreUnavailableException;
import java.sql.SQLException;

/** The database failed (unreachable, full, corrupt): not the caller's fault, worth a retry later. */
public class StoreException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;
    /** SQLite's result code for a full disk or database. */
    private static final int SQLITE_FULL = 13;
    /** PostgreSQL's SQLSTATE {@code disk_full}. */
    private static final String PG_DISK_FULL = "53100";

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean diskFull() {
        return isDiskFull(this);
    }

    /** Whether {@code error} or one of its causes says the disk is full. */
    /**
     * Whether the database aborted the statement to break a deadlock (PostgreSQL {@code 40P01}) or a serialization
     * conflict ({@code 40001}): the same write, tried again, normally succeeds.
     */
    public static boolean isDeadlock(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql
                    && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) return true;
        }
        return false;
    }

    public static boolean isDiskFull(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql
                    && (PG_DISK_FULL.equals(sql.getSQLState())
                            || (sql.getErrorCode() & 0xff) == SQLITE_FULL
                                    && sql.getMessage() != null
                                    && sql.getMessage().contains("SQLITE_FULL"))) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("database or disk is full") || m.contains("No space left on device")))
                return true;
        }
        return false;
    }
}
