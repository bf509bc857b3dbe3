package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server on a real full disk (an 8 MiB tmpfs; needs root to mount it, skipped otherwise): writes answer 503
 * {@code store-full}, {@code /health} says so, and after a SIGKILL a start with too little room says how much it needs,
 * exits non-zero, and starts once there is room, with every acknowledged run intact.
 */
class DiskFullTest {
    @TempDir
    Path dir;

    Path mount;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void mountTinyDisk() throws Exception {
        mount = dir.resolve("disk");
        java.nio.file.Files.createDirectories(mount);
        assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString()) == 0,
                "cannot mount a tmpfs here (not root?)");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) run("umount", "-l", mount.toString());
    }

    @Test
    void aFullDiskIsReportedAndStartUpAfterACrashSaysWhatItNeeds() throws Exception {
        Path data = mount.resolve("data");
        String big = "x".repeat(200_000);
        List<String> stored = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(data, Map.of())) {
            HttpResponse<String> last = null;
            for (int i = 0; i < 40; i++) {
                last = send(server, "POST", "/api/workflows/hello", "{\"input\": {\"name\": \"" + big + "\"}}");
                if (last.statusCode() == 200)
                    stored.add(Json.MAPPER.readTree(last.body()).get("runId").asText());
                else break;
            }
            assertThat(stored).isNotEmpty();
            assertThat(last.statusCode()).isEqualTo(503);
            JsonNode problem = Json.MAPPER.readTree(last.body());
            assertThat(problem.get("type").asText()).endsWith("store-full");
            assertThat(last.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            HttpResponse<String> health = send(server, "GET", "/health", null);
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(Json.MAPPER.readTree(health.body()).get("diskFull").asBoolean())
                    .isTrue();
            server.kill();
        }

        assertThat(run("mount", "-o", "remount,size=9m", "tmpfs", mount.toString()))
                .isZero();
        Process tooSmall = serverCommand(data).start();
        if (tooSmall.waitFor(45, TimeUnit.SECONDS)) {
            String said = new String(tooSmall.getInputStream().readAllBytes());
            assertThat(tooSmall.exitValue()).as(said).isNotZero();
            assertThat(said)
                    .contains("is full")
                    .contains("free at least")
                    .contains("MiB")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        } else {
            // what opening needs fitted in the added MiB (the write-ahead log had just been checkpointed when the
            // process died), so the server started: right as well, and the restart below checks the data
            tooSmall.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }

        assertThat(run("mount", "-o", "remount,size=32m", "tmpfs", mount.toString()))
                .isZero();
        try (ServerProcess server = ServerProcess.start(data, Map.of())) {
            assertThat(send(server, "GET", "/health", null).statusCode()).isEqualTo(200);
            for (String runId : stored) {
                HttpResponse<String> got = send(server, "GET", "/v1/runs/" + runId + "?waitSeconds=20", null);
                JsonNode run = got.body().isEmpty() ? null : Json.MAPPER.readTree(got.body());
                assertThat(run == null ? "" : run.path("status").asText())
                        .as("%s: HTTP %s %s\n%s", runId, got.statusCode(), got.body(), server.output())
                        .isEqualTo("completed");
            }
        }
    }

    private ProcessBuilder serverCommand(Path data) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.tern.server.Main",
                        "server",
                        "--port",
                        "0",
                        "--data-dir",
                        data.toString())
                .redirectErrorStream(true);
    }

    private HttpResponse<String> send(ServerProcess server, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
