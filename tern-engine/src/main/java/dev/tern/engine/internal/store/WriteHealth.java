package dev.tern.engine.internal.store;

/**
 * What a writer's failures say about the store, for {@code /health}: whether writes fail now, and a failure of the last
 * ten seconds, since on a full disk small writes may still fit while larger ones fail.
 */
final class WriteHealth {
    /** How long a failed write keeps the store reported unhealthy although later (smaller) writes succeeded. */
    static final long FAILURE_MEMORY_NANOS = 10_000_000_000L;

    /** Set by a failed write, cleared by the next commit. */
    private volatile String failing;

    private volatile String lastFailure;
    private volatile long lastFailureNanos;
    private volatile long lastDiskFullNanos = System.nanoTime() - 2 * FAILURE_MEMORY_NANOS;

    void failed(Exception e) {
        failing = e.getMessage();
        lastFailure = e.getMessage();
        lastFailureNanos = System.nanoTime();
        if (StoreException.isDiskFull(e)) lastDiskFullNanos = lastFailureNanos;
    }

    void committed() {
        failing = null;
    }

    /** Whether a write failed for want of disk space in the last ten seconds (later ones may say only "I/O error"). */
    boolean diskFullRecently() {
        return System.nanoTime() - lastDiskFullNanos < FAILURE_MEMORY_NANOS;
    }

    /** Why writes fail: the last write failed, or one failed in the last ten seconds; null when writes succeed. */
    String failing() {
        String now = failing;
        if (now != null) return now;
        String recent = lastFailure;
        long age = System.nanoTime() - lastFailureNanos;
        return recent != null && age < FAILURE_MEMORY_NANOS ? recent + " (" + age / 1_000_000_000L + " s ago)" : null;
    }
}
