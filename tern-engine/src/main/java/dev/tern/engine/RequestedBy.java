package dev.tern.engine;

/**
 * Who asked for what this thread is doing (the name of an API token), recorded in the history of the runs it changes as
 * {@code by}: who scheduled, cancelled, answered or sent each thing. A server opens one per request.
 */
public final class RequestedBy {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private RequestedBy() {}

    /** Marks this thread's work as asked for by {@code name} until the returned scope is closed. */
    public static Scope open(String name) {
        String previous = CURRENT.get();
        CURRENT.set(name);
        return () -> {
            if (previous == null) CURRENT.remove();
            else CURRENT.set(previous);
        };
    }

    /** Who asked for this thread's work, or {@code null}. */
    public static String current() {
        return CURRENT.get();
    }

    /** Ends what {@link #open} started; closing twice is harmless only for the innermost scope. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
