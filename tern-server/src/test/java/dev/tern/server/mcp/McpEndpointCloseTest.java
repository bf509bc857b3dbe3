package dev.tern.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.engine.EngineConfig;
import dev.tern.engine.TernEngine;
import dev.tern.examples.EchoAgent;
import dev.tern.sdk.Definitions;
import dev.tern.server.http.TernHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A closed server leaves no thread behind: the MCP transport's session sweeper ran on a non-daemon thread of its own
 * that outlived the server, so an application that embedded the server could not exit after closing it.
 */
class McpEndpointCloseTest {
    @TempDir
    Path dir;

    @Test
    void closingTheServerStopsTheSessionSweepersThread() {
        Definitions defs = Definitions.builder().agent(EchoAgent.DEFINITION).build();
        try (TernEngine engine = TernEngine.start(EngineConfig.embedded(dir).withFsync(false), defs)) {
            Set<Thread> before = sweeperThreads();
            TernHttpServer server =
                    TernHttpServer.start(engine, new TernHttpServer.Settings("127.0.0.1", 0, null, 1 << 20));
            Set<Thread> started = sweeperThreads();
            started.removeAll(before);
            assertThat(started).as("the sweeper thread this server started").hasSize(1);
            assertThat(started.iterator().next().isDaemon()).isFalse();

            server.close();

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(started)
                            .allSatisfy(
                                    t -> assertThat(t.isAlive()).as(t.getName()).isFalse()));
        }
    }

    private static Set<Thread> sweeperThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(SweeperSchedulers.THREAD_NAME))
                .collect(Collectors.toSet());
    }
}
