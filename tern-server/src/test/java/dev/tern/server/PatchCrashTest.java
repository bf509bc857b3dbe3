package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patching in place across real process deaths: a run started by the old code (no patch), a server killed with SIGKILL,
 * the patched code deployed under the same revision; the old run takes the old path ({@code patched} false on its
 * history) and a run started by the new code takes the new path ({@code patched} true), also after the new code's
 * server is killed in turn while that run waits.
 */
class PatchCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** The workflow "refund" at revision "1": before the patch, or with {@code ctx.patched("fix-rounding")}. */
    static String refund(boolean patchedCode) {
        String path = patchedCode ? "boolean fixed = ctx.patched(\"fix-rounding\");" : "boolean fixed = false;";
        return """
        package com.acme;

        import dev.tern.sdk.Definitions;
        import dev.tern.sdk.DefinitionsProvider;
        import dev.tern.sdk.WorkflowDefinition;

        public final class Refunds implements DefinitionsProvider {
          public record In(int cents) {}
          public record Go(String note) {}
          public record Out(String path, int cents) {}

          public static final WorkflowDefinition<In, Out> REFUND = WorkflowDefinition.of("refund", In.class, Out.class,
              (ctx, in) -> {
                int cents = ctx.step("charge", Integer.class, () -> in.cents());
                %s
                ctx.awaitEvent("go", Go.class);
                String taken = ctx.step(fixed ? "round-new" : "round-old", String.class, () -> "x");
                return new Out(fixed ? "new" : "old", cents);
              }).version("1");

          @Override
          public Definitions definitions() {
            return Definitions.builder().workflow(REFUND).build();
          }
        }
        """.formatted(path);
    }

    private Path jar(String name, boolean patchedCode) throws Exception {
        Path classes = UserCode.classes(
                dir.resolve(name + "-classes"),
                Map.of("com.acme.Refunds", refund(patchedCode)),
                UserCode.provides("com.acme.Refunds"));
        return UserCode.jar(classes, dir.resolve(name + ".jar"));
    }

    @Test
    void anOldRunKeepsTheOldPathAndANewRunTheNewOneAcrossSigkills() throws Exception {
        Path data = dir.resolve("data");
        Path oldCode = jar("old", false);
        Path newCode = jar("new", true);

        String oldRun;
        try (ServerProcess server = ServerProcess.start(data, Map.of(), "--definitions", oldCode.toString())) {
            oldRun = start(server, 1000);
            awaitWaiting(server, oldRun);
            server.kill();
        }

        String newRun;
        try (ServerProcess server = ServerProcess.start(data, Map.of(), "--definitions", newCode.toString())) {
            newRun = start(server, 2000);
            awaitWaiting(server, newRun);
            assertThat(types(server, newRun))
                    .as("the new run records the patch")
                    .contains("patch_marker");
            server.kill();
        }

        try (ServerProcess server = ServerProcess.start(data, Map.of(), "--definitions", newCode.toString())) {
            for (String run : List.of(oldRun, newRun)) {
                HttpResponse<String> sent =
                        post(server, "/v1/runs/" + run + "/events", "{\"eventName\": \"go\", \"eventInput\": {}}");
                assertThat(sent.statusCode()).as(sent.body()).isBetween(200, 202);
            }
            JsonNode old = awaitFinished(server, oldRun);
            JsonNode patched = awaitFinished(server, newRun);
            assertThat(old.get("status").asText()).as(server.output()).isEqualTo("completed");
            assertThat(old.get("output").get("path").asText()).isEqualTo("old");
            assertThat(types(server, oldRun)).doesNotContain("patch_marker");
            assertThat(patched.get("status").asText()).as(server.output()).isEqualTo("completed");
            assertThat(patched.get("output").get("path").asText()).isEqualTo("new");
            assertThat(stepNames(server, oldRun)).contains("round-old").doesNotContain("round-new");
            assertThat(stepNames(server, newRun)).contains("round-new").doesNotContain("round-old");
        }
    }

    private static String start(ServerProcess server, int cents) throws Exception {
        HttpResponse<String> r =
                post(server, "/v1/runs", "{\"name\": \"refund\", \"input\": {\"cents\": " + cents + "}}");
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return JSON.readTree(r.body()).get("runId").asText();
    }

    /** Waits until the run has charged (its first step is durable) and is waiting for its event. */
    private static void awaitWaiting(ServerProcess server, String runId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode run = get(server, "/v1/runs/" + runId);
            if (stepNames(server, runId).contains("charge")
                    && "dependency".equals(run.path("blockedReason").asText())) return;
            Thread.sleep(50);
        }
        throw new AssertionError("run " + runId + " never waited for its event:\n" + server.output());
    }

    private static JsonNode awaitFinished(ServerProcess server, String runId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode run = get(server, "/v1/runs/" + runId);
            if (List.of("completed", "failed", "cancelled")
                    .contains(run.get("status").asText())) return run;
            Thread.sleep(50);
        }
        throw new AssertionError("run " + runId + " did not finish:\n" + server.output());
    }

    private static List<String> types(ServerProcess server, String runId) throws Exception {
        List<String> out = new ArrayList<>();
        get(server, "/v1/runs/" + runId + "/history")
                .get("events")
                .forEach(e -> out.add(e.get("type").asText()));
        return out;
    }

    private static List<String> stepNames(ServerProcess server, String runId) throws Exception {
        List<String> out = new ArrayList<>();
        get(server, "/v1/runs/" + runId)
                .get("steps")
                .forEach(s -> out.add(s.get("name").asText()));
        return out;
    }

    private static JsonNode get(ServerProcess server, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> post(ServerProcess server, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
