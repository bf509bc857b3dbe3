package dev.tern.engine;

import dev.tern.engine.internal.store.StoredRun;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Reads runs one caller at a time but many callers' runs in one query, as group commit does for writes: a caller that
 * finds no read in flight reads its run and every run asked for meanwhile, together; callers that arrive while a read
 * is in flight wait for the next, which one of them makes. The runs a commit ends wake their waiters together, and on
 * PostgreSQL, whose end statement answers with its update count only, each waiter used to read its run by itself: one
 * query and one pooled connection per run, where one query with the ids of all of them does.
 */
final class GroupRead {
    /** Tells a waiting caller that it makes the next read (its own run is among those it reads). */
    private static final Object LEAD = new Object();

    private final Function<List<String>, List<StoredRun>> readAll;
    private final ReentrantLock lock = new ReentrantLock();
    private List<Request> pending = new ArrayList<>();
    private boolean reading;

    /** One caller's run, and what became of it: the run (or empty), {@link #LEAD}, or the read's failure. */
    private static final class Request {
        final String runId;
        volatile CompletableFuture<Object> outcome = new CompletableFuture<>();

        Request(String runId) {
            this.runId = runId;
        }
    }

    /** {@code readAll} reads the runs among the ids it is given that exist, in any order. */
    GroupRead(Function<List<String>, List<StoredRun>> readAll) {
        this.readAll = readAll;
    }

    /** The run as it stands now, if it exists. */
    Optional<RunRecord> read(String runId) {
        Request mine = new Request(runId);
        boolean lead;
        lock.lock();
        try {
            pending.add(mine);
            lead = !reading;
            reading = true;
        } finally {
            lock.unlock();
        }
        while (true) {
            if (lead) readPending();
            Object outcome = outcomeOf(mine);
            if (outcome != LEAD) {
                @SuppressWarnings("unchecked")
                Optional<RunRecord> run = (Optional<RunRecord>) outcome;
                return run;
            }
            mine.outcome = new CompletableFuture<>();
            lead = true;
        }
    }

    /** How many callers wait for the next read (their runs were asked for while a read was in flight). */
    int waiting() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** Reads every run asked for so far in one query; then hands the next read to a caller still waiting, if any. */
    private void readPending() {
        List<Request> batch;
        lock.lock();
        try {
            batch = pending;
            pending = new ArrayList<>();
        } finally {
            lock.unlock();
        }
        try {
            LinkedHashSet<String> ids = new LinkedHashSet<>();
            for (Request r : batch) ids.add(r.runId);
            Map<String, RunRecord> found = new HashMap<>();
            for (StoredRun run : readAll.apply(List.copyOf(ids))) found.put(run.id(), run.toRecord());
            for (Request r : batch) r.outcome.complete(Optional.ofNullable(found.get(r.runId)));
        } catch (RuntimeException e) {
            for (Request r : batch) r.outcome.completeExceptionally(e);
        } finally {
            lock.lock();
            try {
                if (pending.isEmpty()) reading = false;
                else pending.get(0).outcome.complete(LEAD);
            } finally {
                lock.unlock();
            }
        }
    }

    private static Object outcomeOf(Request request) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return request.outcome.get();
                } catch (InterruptedException e) {
                    // the read is made for others too: wait it out, and keep the interrupt for the caller
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
