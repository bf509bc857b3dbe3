package dev.tern.server.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The MCP SDK's Streamable HTTP transport (2.1.0) sweeps idle sessions on a scheduler of its own,
 * {@code Schedulers.newSingle("streamable-http-server-transport-session-sweeper")}: a non-daemon thread that closing
 * the transport never stops, so every server started and closed in a JVM left one behind and an application that embeds
 * the server could not exit after closing it. The transport keeps no handle on that scheduler; this class finds it as
 * it is made (a Reactor executor decorator, active only on the thread that builds a transport, only for a scheduler of
 * that name) so that {@link McpEndpoint#close()} disposes it.
 */
final class SweeperSchedulers {
    static final String THREAD_NAME = "streamable-http-server-transport-session-sweeper";

    private static final ThreadLocal<List<Scheduler>> MADE_HERE = new ThreadLocal<>();

    static {
        Schedulers.addExecutorServiceDecorator(SweeperSchedulers.class.getName(), (scheduler, executor) -> {
            List<Scheduler> made = MADE_HERE.get();
            if (made != null && scheduler.toString().contains(THREAD_NAME)) made.add(scheduler);
            return executor;
        });
    }

    /** What {@code build} returned, with the sweeper schedulers it made. */
    record Built<T>(T value, List<Scheduler> sweepers) {
        /** Stops the sweepers' threads. */
        void disposeSweepers() {
            sweepers.forEach(Scheduler::dispose);
        }
    }

    private SweeperSchedulers() {}

    /** Runs {@code build} on this thread, noting every session-sweeper scheduler it makes. */
    static <T> Built<T> capturing(Supplier<T> build) {
        List<Scheduler> made = new ArrayList<>();
        MADE_HERE.set(made);
        try {
            return new Built<>(build.get(), List.copyOf(made));
        } finally {
            MADE_HERE.remove();
        }
    }
}
