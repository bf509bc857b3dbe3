package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.PostgresTestDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Stops and restarts the machine's PostgreSQL server under load: the node reports 503 on /health meanwhile, refuses new
 * work with 503 (never 500), and afterwards every run completes with each step completed exactly once.
 *
 * <p>Tagged {@code exclusive}: stopping PostgreSQL would fail the tests of the other test JVM, so it runs alone, after
 * them.
 */
@Tag("exclusive")
class DatabaseRestartTest {
    final String schema = PostgresTestDatabase.newSchema();
    TestServer server;

    static String[] pgctl(String action) throws Exception {
        String[] versions = new File("/etc/postgresql").list();
        assumeTrue(
                versions != null && versions.length == 1, "a single local PostgreSQL cluster managed by pg_ctlcluster");
        return new String[] {"pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", action, "-m", "fast"};
    }

    static void run(String[] command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
    }

    @AfterEach
    void restore() throws Exception {
        Process status = new ProcessBuilder("pg_isready", "-h", "127.0.0.1", "-q").start();
        if (status.waitFor() != 0) {
            String[] start = pgctl("start");
            run(java.util.Arrays.copyOf(start, 5));
        }
        if (server != null) server.close();
        PostgresTestDatabase.drop(schema);
    }

    @Test
    void nodesRideOutADatabaseRestartWithoutLosingOrRepeatingSteps() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster")), "pg_ctlcluster is available");
        String[] stop = pgctl("stop");
        server = TestServer.start(
                EngineConfig.postgres(PostgresTestDatabase.url(schema)).withLeaseDuration(Duration.ofSeconds(3)),
                null,
                1 << 20);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            TestServer.Response r =
                    server.post("/api/workflows/batch", "{\"input\": {\"items\": 6, \"pauseMillis\": 150}}");
            assertThat(r.status()).isEqualTo(200);
            ids.add(r.body().get("runId").asText());
        }
        Thread.sleep(300);
        run(stop);

        TestServer.Response health = awaitHealth(503);
        assertThat(health.body().get("status").asText()).isEqualTo("unhealthy");
        assertThat(health.body().get("reason").asText()).isNotBlank();
        TestServer.Response refused = server.post("/api/workflows/hello", "{\"input\": {\"name\": \"x\"}}");
        assertThat(refused.status()).as(refused.raw()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        Thread.sleep(2_000);

        run(java.util.Arrays.copyOf(pgctl("start"), 5));
        awaitHealth(200);

        Map<String, JsonNode> done = new HashMap<>();
        long deadline = System.currentTimeMillis() + 90_000;
        while (done.size() < ids.size() && System.currentTimeMillis() < deadline) {
            for (String id : ids) {
                if (done.containsKey(id)) continue;
                TestServer.Response r = server.get("/v1/runs/" + id);
                if (r.status() == 200 && r.body().get("status").asText().equals("completed")) done.put(id, r.body());
            }
            Thread.sleep(200);
        }
        List<String> stuck = ids.stream()
                .filter(id -> !done.containsKey(id))
                .map(id -> server.get("/v1/runs/" + id).raw())
                .toList();
        assertThat(stuck).as("runs not completed after the restart").isEmpty();
        for (String id : ids) {
            assertThat(done.get(id).get("output").get("checksum").asLong()).isEqualTo(0 + 1 + 4 + 9 + 16 + 25);
            Map<Integer, Integer> completions = new HashMap<>();
            for (JsonNode e :
                    server.get("/v1/runs/" + id + "/history?limit=10000").body().get("events")) {
                if (e.get("type").asText().equals("step_completed")
                        && e.path("data").path("name").asText().startsWith("process-")) {
                    completions.merge(e.get("stepSeq").asInt(), 1, Integer::sum);
                }
            }
            assertThat(completions)
                    .as("run %s", id)
                    .hasSize(6)
                    .allSatisfy((seq, n) -> assertThat(n).as("step %d", seq).isEqualTo(1));
        }
    }

    private TestServer.Response awaitHealth(int status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        TestServer.Response last = null;
        while (System.currentTimeMillis() < deadline) {
            last = server.get("/health");
            if (last.status() == status) return last;
            Thread.sleep(200);
        }
        throw new AssertionError("health never became " + status + "; last: " + (last == null ? null : last.raw()));
    }
}
