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

/** {@code tern answer} and {@code tern runs interactions}: a human answers from the terminal. */
class AnswerCommandTest {
    @TempDir
    Path dir;

    TestServer server;
    String url;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, null);
        url = server.baseUrl();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answeringTheBlockingQuestionResumesTheRun() throws Exception {
        String runId = Cli.schedule(url, "approval", "{}");
        awaitAwaitingHuman(runId);
        JsonNode listed = Cli.ok("runs", "interactions", runId, "--url", url).json();
        assertThat(listed.get("interactions").get(0).get("status").asText()).isEqualTo("open");

        Cli.Result invalid = Cli.run("answer", runId, "--answer", "{\"approved\": \"maybe\"}", "--url", url);
        assertThat(invalid.exitCode()).as("%s", invalid).isEqualTo(1);
        assertThat(invalid.err()).contains("HTTP 400").contains("$.approved");

        JsonNode answered = Cli.ok(
                        "answer",
                        runId,
                        "--answer",
                        "{\"approved\": true, \"comment\": \"from the terminal\"}",
                        "--url",
                        url)
                .json();
        assertThat(answered.get("status").asText()).isEqualTo("answered");
        JsonNode run = Cli.awaitRun(url, runId, Duration.ofSeconds(20));
        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(run.get("output").get("comment").asText()).isEqualTo("from the terminal");

        Cli.Result notWaiting = Cli.run("answer", runId, "--answer", "{\"approved\": true}", "--url", url);
        assertThat(notWaiting.exitCode()).isEqualTo(1);
        assertThat(notWaiting.err()).contains("not waiting for an answer");
    }

    @Test
    void anAnswerThatIsNotJsonIsABadArgument() {
        Cli.Result r = Cli.run("answer", "run_abc", "--answer", "yes please", "--url", url);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("--answer is not valid JSON");
        assertThat(Cli.run("answer", "run_abc", "--url", url).exitCode()).isEqualTo(2);
    }

    private void awaitAwaitingHuman(String runId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!server.get("/v1/runs/" + runId).body().get("status").asText().equals("awaiting-human")) {
            assertThat(System.nanoTime()).as("run %s awaits a human", runId).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
