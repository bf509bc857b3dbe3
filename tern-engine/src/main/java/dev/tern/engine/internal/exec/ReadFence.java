package dev.tern.engine.internal.exec;

import dev.tern.engine.internal.store.Futures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Keeps interrupts (a cancel, a deadline, the node shutting down) away from a run's thread while it reads the store:
 * interrupting a virtual thread blocked in a socket read closes the socket under it, and the connection pool then
 * discards the connection and logs it as broken. An interrupt that comes during a read is delivered when the read
 * returns; one already pending when a read begins waits for its end too.
 */
final class ReadFence {
    private static final ThreadLocal<ReadFence> CURRENT = new ThreadLocal<>();

    private final ReentrantLock lock = new ReentrantLock();
    private Thread owner;
    private boolean reading;
    private boolean pending;
    /** The run's creation, while its execution may have begun before it was durable (else null). */
    private CompletableFuture<?> creation;

    /**
     * The run's execution begins before {@code created}, its creation, is durable: its first store read waits for it (a
     * read before then would not find the run), and fails as it failed.
     */
    void after(CompletableFuture<?> created) {
        this.creation = created;
    }

    /** The run's thread starts: its store reads are fenced from now until {@link #exit()}. */
    void enter() {
        lock.lock();
        try {
            owner = Thread.currentThread();
        } finally {
            lock.unlock();
        }
        CURRENT.set(this);
    }

    void exit() {
        CURRENT.remove();
        lock.lock();
        try {
            owner = null;
            reading = false;
            pending = false;
        } finally {
            lock.unlock();
        }
    }

    /** Interrupts the run's thread now, or as soon as its store read returns (nothing if it is not running). */
    void interrupt() {
        lock.lock();
        try {
            if (owner == null) return;
            if (reading) pending = true;
            else owner.interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Reads the store; on a run's thread, no interrupt reaches the read while it is under way. */
    static <T> T read(Supplier<T> read) {
        ReadFence fence = CURRENT.get();
        if (fence == null) return read.get();
        CompletableFuture<?> created = fence.creation;
        if (created != null) {
            fence.creation = null;
            Futures.await(created);
        }
        fence.lock.lock();
        try {
            fence.reading = true;
            if (Thread.interrupted()) fence.pending = true;
        } finally {
            fence.lock.unlock();
        }
        try {
            return read.get();
        } finally {
            fence.lock.lock();
            try {
                fence.reading = false;
                if (fence.pending) {
                    fence.pending = false;
                    Thread.currentThread().interrupt();
                }
            } finally {
                fence.lock.unlock();
            }
        }
    }
}
