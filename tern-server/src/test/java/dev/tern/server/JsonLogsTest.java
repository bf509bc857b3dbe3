package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern server --log-format json} as a child process: every line on stdout, from start to shutdown, is one JSON
 * object with time, level, logger, message and thread; a bad TERN_LOG_FORMAT is a usage error before anything starts.
 */
class JsonLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void withLogFormatJsonEveryStdoutLineIsAJsonObject() throws Exception {
        Path stderr = dir.resolve("stderr.txt");
        Process process = ServerProcess.builder(dir.resolve("data"), Map.of(), "--log-format", "json")
                .redirectError(stderr.toFile())
                .start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (IOException ignored) {
                // the process ended
            }
            port.completeExceptionally(new IllegalStateException("server exited before listening: " + lines));
        });
        try {
            String base = "http://127.0.0.1:" + port.get(60, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> run = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/workflows/hello"))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"input\": {\"name\": \"Ada \\\"quoted\\\"\"}}"))
                            .header("Content-Type", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        } finally {
            process.destroy(); // SIGTERM: the shutdown hook runs and logs too
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
            reader.join(Duration.ofSeconds(10));
        }

        assertThat(lines).as("stdout; stderr: %s", Files.readString(stderr)).isNotEmpty();
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines) {
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line on stdout: " + line, e);
            }
            assertThat(node.isObject()).as(line).isTrue();
            for (String field : List.of("time", "level", "logger", "message", "thread"))
                assertThat(node.path(field).isTextual())
                        .as("%s in %s", field, line)
                        .isTrue();
            parsed.add(node);
        }
        assertThat(parsed).anySatisfy(line -> {
            assertThat(line.get("level").asText()).isEqualTo("INFO");
            assertThat(line.get("logger").asText()).isEqualTo("dev.tern.server.cli.ServerCommand");
            assertThat(line.get("message").asText()).startsWith("Tern listening on http://127.0.0.1:");
            assertThat(line.get("thread").asText()).isEqualTo("main");
        });
        assertThat(Files.readString(stderr)).doesNotContain("ERROR in ch.qos.logback");
    }

    @Test
    void aBadTernLogFormatIsAUsageError() throws Exception {
        Path data = dir.resolve("data");
        Process process = ServerProcess.builder(data, Map.of("TERN_LOG_FORMAT", "yaml"))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("--log-format (env TERN_LOG_FORMAT) must be text or json, was 'yaml'");
        assertThat(data).doesNotExist();
    }
}
