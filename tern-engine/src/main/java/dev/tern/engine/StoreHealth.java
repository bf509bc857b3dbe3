package dev.tern.engine;

import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node's store works: it answers reads, and its writes commit. {@code diskFull} says the disk holding the
 * database is full (free space; nothing else will help). The reason is for clients: the store's own message, which
 * names drivers and hosts, goes to the log only.
 */
public record StoreHealth(boolean healthy, boolean diskFull, String reason) {
    private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);
    static final StoreHealth OK = new StoreHealth(true, false, null);

    /** Reads one row, then looks at how the latest writes went. */
    static StoreHealth of(RunStore store) {
        try {
            store.listRuns(new RunQuery(null, null, null, 1, null));
        } catch (StoreException e) {
            log.debug("health: the store does not answer reads: {}", e.getMessage());
            return new StoreHealth(false, e.diskFull(), "the database does not answer reads");
        }
        return store.writeFailure()
                .map(failure -> {
                    log.debug("health: store writes are failing: {}", failure.message());
                    return new StoreHealth(
                            false,
                            failure.diskFull(),
                            failure.diskFull()
                                    ? "the disk holding the database is full: writes fail"
                                    : "writes to the database are failing");
                })
                .orElse(OK);
    }
}
