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

/** {@code tern send}: events to a running agent. */
class SendCommandTest {
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
    void aChatRunAnswersMessagesAndEndsOnTheEndEvent() throws Exception {
        String runId = Cli.schedule(url, "chat", "{}");

        JsonNode sent = Cli.ok(
                        "send",
                        runId,
                        "messages",
                        "--input",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "--url",
                        url)
                .json();
        assertThat(sent.get("runId").asText()).isEqualTo(runId);
        assertThat(sent.get("eventName").asText()).isEqualTo("messages");
        assertThat(sent.get("status").asText()).isEqualTo("accepted");

        JsonNode ended = Cli.ok("send", runId, "end", "--url", url).json();
        assertThat(ended.get("eventName").asText()).isEqualTo("end");
        assertThat(ended.get("inboxSequence").asLong())
                .isGreaterThan(sent.get("inboxSequence").asLong());

        JsonNode run = Cli.awaitRun(url, runId, Duration.ofSeconds(20));
        assertThat(run.get("status").asText()).as("%s", run).isEqualTo("completed");
        JsonNode messages = run.get("output").get("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(0).get("content").asText()).isEqualTo("hi");
        assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(1).get("content").asText()).isEqualTo("You said: \"hi\" (turn 1)");
    }

    @Test
    void sendToAFinishedRunIsTheServersConflict() throws Exception {
        String runId = Cli.schedule(url, "hello", "{\"name\": \"A\"}");
        server.awaitRun(runId, Duration.ofSeconds(20));

        Cli.Result r = Cli.run("send", runId, "end", "--url", url);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("tern: HTTP 409");
    }

    @Test
    void sendNeedsARunIdAndAnEventName() {
        Cli.Result r = Cli.run("send", "run_abc", "--url", url);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("EVENT");
    }

    @Test
    void sendRejectsAnInputThatIsNotAJsonObject() {
        String runId = Cli.schedule(url, "chat", "{}");
        Cli.Result r = Cli.run("send", runId, "messages", "--input", "[\"hi\"]", "--url", url);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("--input must be a JSON object");
        assertThat(server.get("/v1/runs/" + runId + "/history").raw()).doesNotContain("\"hi\"");
    }
}
