package dev.tern.engine.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: every write waiting in the queue is committed in one transaction, so many runs' checkpoints share one
 * fsync. Writes run in submission order, one batch at a time; a write's future completes once its transaction is
 * durable. If a batch fails, its writes are retried one per transaction so one bad write cannot fail the others.
 *
 * <p>Who commits: the writer's own thread, or (see {@link Leaders}) the thread submitting a write when no batch is
 * being committed. That thread then commits everything queued itself instead of handing the work to the writer thread
 * and waiting to be woken again: two thread switches per write, which cost more than a commit's round trip on a busy
 * machine (SQLite step overhead 345-378 to 214-303 µs in A/B runs). On PostgreSQL only platform threads do (clients',
 * the dispatcher's): interrupting a virtual thread blocked in socket I/O closes the socket under the whole batch, and
 * in A/B runs the runs' I/O through the JDK's poller made latency and step overhead worse. The writer thread takes what
 * was queued while a batch committed, and lazy writes left alone.
 *
 * <p>How: each {@link Write} says how it may be committed ({@link Write.Commit}), as chosen by the store's classes for
 * its database. A batch that is one statement runs in autocommit mode (no {@code COMMIT} round trip): a write that is
 * one statement alone, or a one-step run's creation and end joined ({@link PipelinedBatch#alone}); a write that
 * {@link Write#lingers() lingers} (a lazy one, a run's creation whose execution has begun) waits up to its
 * {@link Write#lingerNanos()} for company while only such writes are queued; everything else shares the batch's
 * transaction, where writes that can be one {@link Pipelined} statement go to the server together
 * ({@link PipelinedBatch}). A large batch's futures complete off the committing thread ({@link CommitCompletions}).
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final WriteHealth health = new WriteHealth();

    /** A submitted write, its future, and when it was queued (a lazy write lingers from then). */
    private record Pending<T>(Write<T> write, CompletableFuture<T> future, long queuedAt) {
        Pending(Write<T> write) {
            this(write, new CompletableFuture<>(), System.nanoTime());
        }

        /** Whether it may wait for company: it wakes the writer thread instead of leading and ends no linger. */
        boolean lazy() {
            return write.lingers();
        }

        void complete(Object value) {
            @SuppressWarnings("unchecked")
            T typed = (T) value;
            future.complete(typed);
        }
    }

    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final ConnectionSource connections;
    final Leaders leaders; // read by WriterLanes: which threads a run best writes from

    /** Which submitting threads may commit the queue themselves. */
    enum Leaders {
        /** Only the writer thread commits. */
        NONE,
        /**
         * Platform threads too: for a network database, where a virtual thread's socket I/O is interruptible and goes
         * through the JDK's poller.
         */
        PLATFORM_THREADS,
        /**
         * Any thread: for an embedded database, called in-process (a virtual thread holds its carrier during the
         * commit, one at a time).
         */
        ANY_THREAD
    }
    /** Held while a batch is taken from the queue and committed: one batch at a time, in order. */
    private final ReentrantLock committing = new ReentrantLock();
    /** Wakes the writer thread: lazy writes, writes left queued after a commit, close. */
    private final Semaphore wakeups = new Semaphore(0);
    /** Queued writes that are not lazy: while there are none, the writer thread lingers. */
    private final AtomicInteger eagerQueued = new AtomicInteger();

    private final int maxBatch;
    private final boolean deferRows;
    private final Thread thread;
    private final CommitCompletions completions;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private Tx tx;
    private volatile boolean closed;
    private final CommitListeners listeners = new CommitListeners();

    @FunctionalInterface
    interface ConnectionSource {
        Connection open() throws SQLException;
    }

    /**
     * {@code deferRows}: a batch's history and step rows go in together at its end ({@link DeferredRows}; SQLite, where
     * a statement costs the writer more than the rows it inserts).
     */
    GroupCommitWriter(ConnectionSource connections, int maxBatch, String name, Leaders leaders, boolean deferRows) {
        this.connections = connections;
        this.maxBatch = maxBatch;
        this.leaders = leaders;
        this.deferRows = deferRows;
        this.completions = new CommitCompletions(name + "-completions");
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
    }

    /** Queues a write, committed as its {@link Write#commit()} allows; the future completes once it is durable. */
    <T> CompletableFuture<T> submit(Write<T> write) {
        Pending<T> p = new Pending<>(write);
        if (closed) {
            p.future().completeExceptionally(new IllegalStateException("store is closed"));
            return p.future();
        }
        if (!p.lazy()) eagerQueued.incrementAndGet();
        queue.add(p);
        if (p.lazy() || !lead()) wakeups.release();
        return p.future();
    }

    /** Queues a write to be committed in the next batch's transaction. */
    <T> CompletableFuture<T> submit(Write.Work<T> work) {
        return submit(Write.batched(work));
    }

    /**
     * Commits what is queued on this thread, unless a batch is being committed (its committer sees this write when it
     * is done). False if this thread may not: it is virtual, or already committing (a completion's callback submitting
     * a write).
     */
    private boolean lead() {
        boolean allowed = switch (leaders) {
            case NONE -> false;
            case PLATFORM_THREADS -> !Thread.currentThread().isVirtual();
            case ANY_THREAD -> true;
        };
        if (!allowed || committing.isHeldByCurrentThread() || completions.isCompleting()) return false;
        if (!committing.tryLock()) return true;
        try {
            commitQueued();
        } finally {
            committing.unlock();
        }
        if (!queue.isEmpty()) wakeups.release();
        return true;
    }

    /** Who this writer tells of each commit. */
    CommitListeners listeners() {
        return listeners;
    }

    private volatile RunAnnouncer announcer = RunAnnouncer.NONE;

    /** Tells other nodes, with each commit, of the runs whose history it grew (when they watch any). */
    void announceWith(RunAnnouncer announcer) {
        this.announcer = announcer;
    }

    /** Writes committed and transactions used so far: their ratio is the mean batch size. */
    long[] counters() {
        return new long[] {writes.get(), batches.get()};
    }

    private void loop() {
        try {
            while (true) {
                wakeups.acquire();
                wakeups.drainPermits();
                while (!queue.isEmpty()) {
                    // only lingering writes queued: they wait for company until the first of them has waited its
                    // time (a later write may take one over or drain them); an obsolete lazy write is dropped (its
                    // future completes with null)
                    long linger = eagerQueued.get() > 0 || closed ? 0 : lingerLeft();
                    if (linger > 0) {
                        if (wakeups.tryAcquire(linger, TimeUnit.NANOSECONDS)) wakeups.drainPermits();
                        continue;
                    }
                    committing.lock();
                    try {
                        commitQueued();
                    } finally {
                        committing.unlock();
                    }
                }
                if (closed) break;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        committing.lock();
        try {
            for (Pending<?> p : queue) p.future().completeExceptionally(new IllegalStateException("store is closed"));
            closeConnection();
        } finally {
            committing.unlock();
        }
    }

    /** How long the queued writes, all lingering, may still wait for company: until the first one's wait is over. */
    private long lingerLeft() {
        long until = Long.MAX_VALUE;
        for (Pending<?> p : queue)
            until = Math.min(until, p.queuedAt() + p.write().lingerNanos());
        return until == Long.MAX_VALUE ? 0 : until - System.nanoTime();
    }

    /** Takes the next batch off the queue and commits it; the caller holds {@link #committing}. */
    private void commitQueued() {
        List<Pending<?>> batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
        queue.drainTo(batch, maxBatch);
        if (batch.isEmpty()) return;
        eagerQueued.addAndGet(-(int) batch.stream().filter(p -> !p.lazy()).count());
        batch.removeIf(p -> p.write().obsolete().getAsBoolean() && p.future().complete(null));
        if (batch.isEmpty()) return;
        Write.Work<Object[]> alone = batch.size() > 2
                ? null
                : PipelinedBatch.alone(batch.stream().map(Pending::write).toList());
        if (alone != null) commitAlone(batch, alone, 0);
        else commit(batch, 0);
    }

    /**
     * How often a write alone in its transaction is tried again after the database aborted it to break a deadlock
     * (another writer lane or node held a row it needed while waiting for one it held); the other transaction goes on,
     * so the next try normally succeeds.
     */
    static final int DEADLOCK_RETRIES = 3;

    private void commit(List<Pending<?>> batch, int deadlocks) {
        Object[] results = new Object[batch.size()];
        long began = System.nanoTime();
        try {
            Tx t = tx();
            t.deferRows(deferRows);
            if (batch.size() == 1) results[0] = batch.get(0).write().apply(t);
            else
                results = PipelinedBatch.apply(
                        t, batch.stream().map(Pending::write).toList());
            t.insertDeferred();
            Set<String> changed = t.drainHistoryChanged();
            List<Signal> signals = t.drainSignals();
            announcer.announce(t, changed);
            t.connection().commit();
            committed(batch, results, changed, signals, began);
        } catch (SQLException | RuntimeException e) {
            rollback();
            if (StoreException.isDeadlock(e)) listeners.deadlockBroken();
            if (batch.size() == 1 && tryAgain(e, deadlocks)) {
                commit(batch, deadlocks + 1);
                return;
            }
            if (batch.size() == 1 || tx == null) {
                for (Pending<?> p : batch) fail(p, e);
                return;
            }
            for (Pending<?> p : batch) commit(List.of(p), 0);
        }
    }

    /**
     * Runs a batch that is one statement ({@link PipelinedBatch#alone}) in autocommit mode: the statement commits
     * itself, one round trip instead of two. If it wrote nothing, the batch commits in a transaction instead.
     */
    private void commitAlone(List<Pending<?>> batch, Write.Work<Object[]> alone, int deadlocks) {
        try {
            Tx t = tx();
            Object[] results;
            Set<String> changed;
            List<Signal> signals;
            long began = System.nanoTime();
            t.deferRows(false); // each statement commits by itself: nothing may wait for an end
            t.connection().setAutoCommit(true);
            try {
                results = alone.apply(t);
                changed = t.drainHistoryChanged();
                signals = t.drainSignals();
                if (results != null) announceCommitted(t, changed);
            } finally {
                t.connection().setAutoCommit(false);
            }
            if (results == null) {
                commit(batch, 0);
                return;
            }
            committed(batch, results, changed, signals, began);
        } catch (SQLException | RuntimeException e) {
            if (tx != null) {
                tx.drainHistoryChanged();
                tx.drainSignals();
            }
            if (StoreException.isDeadlock(e)) listeners.deadlockBroken();
            if (tryAgain(e, deadlocks)) {
                commitAlone(batch, alone, deadlocks + 1);
                return;
            }
            if (batch.size() == 1) fail(batch.get(0), e);
            else for (Pending<?> p : batch) commit(List.of(p), 0);
        }
    }

    /** Counts a durable batch begun at {@code began}, completes its writes' futures and tells the listeners. */
    private void committed(
            List<Pending<?>> batch, Object[] results, Set<String> changed, List<Signal> signals, long began) {
        listeners.committed(System.nanoTime() - began, batch.size());
        batches.incrementAndGet();
        health.committed();
        writes.addAndGet(batch.size());
        completions.complete(batch.size(), () -> {
            for (int i = 0; i < batch.size(); i++) batch.get(i).complete(results[i]);
            listeners.changed(changed, signals);
        });
    }

    private static boolean tryAgain(Exception e, int deadlocks) {
        boolean again = deadlocks < DEADLOCK_RETRIES && StoreException.isDeadlock(e);
        if (again) log.debug("write aborted to break a deadlock; trying it again: {}", e.getMessage());
        return again;
    }

    /** Whether and why this writer's writes fail ({@code /health}). */
    WriteHealth health() {
        return health;
    }

    private void fail(Pending<?> pending, Exception e) {
        if (e instanceof SQLException) {
            health.failed(e);
            log.warn("store write failed: {}", e.getMessage());
            closeConnection();
            pending.future().completeExceptionally(new StoreException("store write failed: " + e.getMessage(), e));
            return;
        }
        pending.future().completeExceptionally(e);
    }

    private Tx tx() throws SQLException {
        if (tx == null) {
            Connection c = connections.open();
            c.setAutoCommit(false);
            tx = new Tx(c);
        }
        return tx;
    }

    /** Announces a write that has committed by itself: the write stands whether or not the announcement is sent. */
    private void announceCommitted(Tx t, Set<String> changed) {
        try {
            announcer.announce(t, changed);
        } catch (SQLException e) {
            log.debug("could not announce history to other nodes: {}", e.getMessage());
        }
    }

    private void rollback() {
        if (tx == null) return;
        tx.dropDeferred();
        tx.drainHistoryChanged();
        tx.drainSignals();
        try {
            tx.connection().rollback();
        } catch (SQLException e) {
            closeConnection();
        }
    }

    private void closeConnection() {
        if (tx == null) return;
        tx.closeStatements();
        try {
            tx.connection().close();
        } catch (SQLException ignored) {
            // already broken
        }
        tx = null;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        wakeups.release();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completions.close();
    }
}
