package dev.tern.engine.internal.exec;

import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.StoreException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Store calls made from inside a run: a database failure unwinds the run (to be replayed) instead of reaching workflow
 * code; reads are fenced from interrupts ({@link ReadFence}).
 */
final class Durable {
    private Durable() {}

    static <T> T await(CompletableFuture<T> future) {
        try {
            return Futures.await(future);
        } catch (StoreException e) {
            throw new WorkflowInterrupt.StoreUnavailable(e);
        }
    }

    static <T> T read(Supplier<T> read) {
        try {
            return ReadFence.read(read);
        } catch (StoreException e) {
            throw new WorkflowInterrupt.StoreUnavailable(e);
        }
    }
}
