package dev.tern.engine.internal.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Waits for a store write and rethrows its failure as it was raised (a {@link StoreException} when the database
 * failed).
 */
public final class Futures {
    private Futures() {}

    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            if (e.getCause() instanceof Error error) throw error;
            throw new StoreException("store write failed: " + e.getCause(), e.getCause());
        }
    }
}
