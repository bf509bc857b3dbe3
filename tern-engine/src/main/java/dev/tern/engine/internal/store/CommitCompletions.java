package dev.tern.engine.internal.store;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes a committed batch's futures, in commit order, on a virtual thread of its own instead of the committing
 * thread, for batches of more than {@link #DIRECT_AT_MOST} writes.
 *
 * <p>Why: completing a future wakes the thread waiting for it. From the writer's platform thread every such wake-up
 * submits the waiter's virtual thread to the scheduler from outside, which wakes a parked carrier thread nearly every
 * time (a {@code futex} call into the kernel for almost every write of a batch of forty, seen with {@code strace} on
 * SQLite's writer), and the writer, the store's one committing thread, is what limits it. From a virtual thread the
 * waiters go onto its carrier's own queue, and the writer pays one wake-up a batch. A batch of a few writes is
 * completed directly, as before, unless earlier batches are still being completed (futures complete in the order their
 * batches committed): with few runs in flight the hand-over only lengthens each write's round trip (four runs in flight
 * on PostgreSQL, batches of three or four handed over: 0.968 of the workflows a second, 1.07 of the CPU a workflow).
 */
final class CommitCompletions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommitCompletions.class);

    /** Batches of at most this many writes are completed on the committing thread when no earlier batch waits. */
    static final int DIRECT_AT_MOST = 8;

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Completions handed over and not yet run to their end. */
    private final AtomicInteger handedOver = new AtomicInteger();

    private final Thread thread;
    private volatile boolean closed;

    CommitCompletions(String name) {
        this.thread = Thread.ofVirtual().name(name).start(this::loop);
    }

    /**
     * Runs {@code completion}, a batch of {@code writes} writes' completion, here or on the completing thread. Called
     * by one committing thread at a time (the writer's lock is held), so the order of calls is the order of
     * completions.
     */
    void complete(int writes, Runnable completion) {
        if (closed || !thread.isAlive() || (writes <= DIRECT_AT_MOST && handedOver.get() == 0)) {
            completion.run();
            return;
        }
        handedOver.incrementAndGet();
        queue.add(completion);
        LockSupport.unpark(thread);
    }

    /** Whether the calling thread is the one completing handed-over batches (which must not commit a batch itself). */
    boolean isCompleting() {
        return Thread.currentThread() == thread;
    }

    private void loop() {
        while (true) {
            Runnable next = queue.poll();
            if (next == null) {
                if (closed) return;
                LockSupport.park(this);
                Thread.interrupted(); // a stray interrupt would make every park return at once
                continue;
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) { // the writes are durable: the next batches must still complete
                log.warn("completing committed writes failed: {}", e.toString());
            } finally {
                handedOver.decrementAndGet();
            }
        }
    }

    /** Completes what was handed over, then stops. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
