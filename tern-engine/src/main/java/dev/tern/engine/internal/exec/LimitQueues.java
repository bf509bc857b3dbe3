package dev.tern.engine.internal.exec;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The steps of this node waiting for a permit of each limit, in the order they came. Only the first of each limit asks
 * the store for a permit; the others wait until they are first. A permit released on this node wakes the first at once
 * ({@link #released}), and the first that gets one, or gives up, wakes the next. Without this, every waiting step asked
 * the store every 25 ms: 200 runs queued on one limit asked 8,000 times a second, each ask a write, which slowed every
 * other run of the node (on PostgreSQL unrelated one-step workflows took 12 times as long), and a released permit
 * waited for the next of those asks.
 */
final class LimitQueues {
    /** One step waiting for a permit (a run may wait in several parallel steps at once). */
    static final class Waiter {
        private final RunExecution execution;

        private Waiter(RunExecution execution) {
            this.execution = execution;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ArrayDeque<Waiter>> byKey = new HashMap<>();

    /** {@code execution} waits for a permit of {@code key}, behind those already waiting here. */
    Waiter join(String key, RunExecution execution) {
        Waiter waiter = new Waiter(execution);
        lock.lock();
        try {
            byKey.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(waiter);
        } finally {
            lock.unlock();
        }
        return waiter;
    }

    /** Whether {@code waiter} is the first waiting for {@code key}: the one that asks the store. */
    boolean first(String key, Waiter waiter) {
        lock.lock();
        try {
            ArrayDeque<Waiter> queue = byKey.get(key);
            return queue != null && queue.peekFirst() == waiter;
        } finally {
            lock.unlock();
        }
    }

    /** {@code waiter} got its permit or stopped waiting (a cancel, a shutdown): the next, if it is now first, asks. */
    void leave(String key, Waiter waiter) {
        Waiter next = null;
        lock.lock();
        try {
            ArrayDeque<Waiter> queue = byKey.get(key);
            if (queue == null) return;
            boolean wasFirst = queue.peekFirst() == waiter;
            queue.remove(waiter);
            if (queue.isEmpty()) byKey.remove(key);
            else if (wasFirst) next = queue.peekFirst();
        } finally {
            lock.unlock();
        }
        if (next != null) next.execution.signal();
    }

    /** A permit of {@code key} held on this node was given back (committed): the first waiting asks again at once. */
    void released(String key) {
        Waiter first;
        lock.lock();
        try {
            ArrayDeque<Waiter> queue = byKey.get(key);
            first = queue == null ? null : queue.peekFirst();
        } finally {
            lock.unlock();
        }
        if (first != null) first.execution.signal();
    }
}
