package dev.tern.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.server.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tern run}: scheduling, --wait with progress, failures and server-side validation. */
class RunCommandTest {
    @TempDir
    Path dir;

    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void runWithWaitPrintsExactlyTheOutputAndShowsProgressOnStderr() throws Exception {
        Cli.Result r = Cli.run("run", "hello", "--input", "{\"name\":\"Ada\"}", "--wait", "--url", server.baseUrl());

        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode output = r.json();
        assertThat(output)
                .isEqualTo(dev.tern.engine.internal.json.Json.MAPPER.readTree("{\"message\":\"Hello, Ada!\"}"));
        assertThat(r.out().strip()).doesNotContain("\n");

        String runId = r.err().lines().findFirst().orElseThrow();
        assertThat(runId).matches("run run_\\S+");
        assertThat(r.err())
                .containsPattern("(?m)^  step 0 \\S+ chooseSalutation completed \\(\\d+ ms\\)$")
                .containsPattern("(?m)^  step 1 \\S+ formatGreeting completed \\(\\d+ ms\\)$")
                .containsPattern("(?m)^  status completed$");
        // the progress goes to stderr only, the run really exists and holds the same output
        assertThat(r.out()).doesNotContain("step").doesNotContain("run_");
        JsonNode run =
                server.get("/v1/runs/" + runId.substring("run ".length())).body();
        assertThat(run.get("output")).isEqualTo(output);
    }

    @Test
    void aFailedRunExitsWithOneAndSaysWhy() {
        Cli.Result r = Cli.run("run", "flaky", "--input", "{\"failures\": 99}", "--wait", "--url", server.baseUrl());

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("run failed").contains("failures must be between 0 and 50");
    }

    @Test
    void withoutWaitItPrintsTheRunIdAndStatus() {
        Cli.Result r = Cli.run("run", "hello", "--input", "{\"name\":\"Bob\"}", "--url", server.baseUrl());

        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode printed = r.json();
        assertThat(printed.fieldNames()).toIterable().containsExactlyInAnyOrder("runId", "status");
        String runId = printed.get("runId").asText();
        assertThat(runId).startsWith("run_");
        assertThat(printed.get("status").asText()).isIn("queued", "running", "completed");
        assertThat(r.err()).isEmpty();
        // the id is the server's: the run exists and completes with the given input
        assertThat(server.get("/v1/runs/" + runId).status()).isEqualTo(200);
    }

    @Test
    void noInputMeansAnEmptyObject() throws Exception {
        String runId = Cli.schedule(server.baseUrl(), "sleepy", "{\"seconds\": 0}");
        assertThat(server.awaitRun(runId, Duration.ofSeconds(20)).get("status").asText())
                .isEqualTo("completed");

        Cli.Result r = Cli.run("run", "chat", "--url", server.baseUrl());
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode run = server.get("/v1/runs/" + r.json().get("runId").asText()).body();
        assertThat(run.get("input").isObject()).isTrue();
        assertThat(run.get("input").size()).isZero();
    }

    @Test
    void anInputTheSchemaRejectsShowsTheServersFieldErrors() {
        Cli.Result r = Cli.run("run", "hello", "--input", "{\"nope\":1}", "--url", server.baseUrl());

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("tern: HTTP 400").contains("$.name");
    }

    @Test
    void anUnknownNameIsTheServersError() {
        Cli.Result r = Cli.run("run", "no-such-workflow", "--url", server.baseUrl());

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).startsWith("tern: HTTP 4").contains("no-such-workflow");
    }

    @Test
    void waitGivesUpAfterTheTimeoutWithExitCodeThree() {
        Cli.Result r = Cli.run(
                "run",
                "sleepy",
                "--input",
                "{\"seconds\": 3600}",
                "--wait",
                "--timeout",
                "1",
                "--url",
                server.baseUrl());

        assertThat(r.exitCode()).as("%s", r).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("still running after 1 s").contains("tern runs get run_");
    }
}
