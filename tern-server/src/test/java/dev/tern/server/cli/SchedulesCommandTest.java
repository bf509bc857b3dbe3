package dev.tern.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.server.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tern schedules list|create|get|pause|resume|delete} against a real server. */
class SchedulesCommandTest {
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
    void createListPauseResumeDelete() {
        JsonNode cron = Cli.ok(
                        "schedules",
                        "create",
                        "hello",
                        "--cron",
                        "0 9 * * 1-5",
                        "--timezone",
                        "Europe/Paris",
                        "--input",
                        "{\"name\": \"Ada\"}",
                        "--id",
                        "morning",
                        "--paused",
                        "--url",
                        url)
                .json();
        assertThat(cron.get("scheduleId").asText()).isEqualTo("morning");
        assertThat(cron.get("paused").asBoolean()).isTrue();
        JsonNode every = Cli.ok(
                        "schedules",
                        "create",
                        "hello",
                        "--every",
                        "3600",
                        "--input",
                        "{\"name\": \"Bo\"}",
                        "--url",
                        url)
                .json();
        String everyId = every.get("scheduleId").asText();
        assertThat(every.get("intervalSeconds").asLong()).isEqualTo(3600);

        List<String> lines =
                Cli.ok("schedules", "list", "--url", url).out().lines().toList();
        assertThat(lines.get(0)).startsWith("SCHEDULE ID").contains("WORKFLOW", "WHEN", "NEXT FIRE");
        assertThat(lines.subList(1, lines.size()))
                .hasSize(2)
                .anySatisfy(l ->
                        assertThat(l).startsWith("morning").contains("hello", "0 9 * * 1-5 Europe/Paris", "paused"))
                .anySatisfy(l -> assertThat(l).startsWith(everyId).contains("every 3600s", "active"));

        assertThat(Cli.ok("schedules", "resume", "morning", "--url", url)
                        .json()
                        .get("paused")
                        .asBoolean())
                .isFalse();
        assertThat(Cli.ok("schedules", "pause", everyId, "--url", url)
                        .json()
                        .get("paused")
                        .asBoolean())
                .isTrue();
        assertThat(Cli.ok("schedules", "get", everyId, "--url", url)
                        .json()
                        .get("paused")
                        .asBoolean())
                .isTrue();
        assertThat(Cli.ok("schedules", "delete", "morning", "--url", url).out()).contains("deleted schedule morning");
        assertThat(Cli.ok("schedules", "list", "--url", url).out().lines()).hasSize(2);
    }

    @Test
    void refusalsExitNonZeroWithTheServersReason() {
        Cli.Result bad = Cli.run(
                "schedules", "create", "hello", "--cron", "61 * * * *", "--input", "{\"name\": \"x\"}", "--url", url);
        assertThat(bad.exitCode()).as("%s", bad).isEqualTo(1);
        assertThat(bad.err()).contains("HTTP 400", "$.cron: invalid cron expression");
        Cli.Result both = Cli.run("schedules", "create", "hello", "--cron", "* * * * *", "--every", "5", "--url", url);
        assertThat(both.exitCode()).as("%s", both).isNotZero();
        assertThat(both.err()).contains("mutually exclusive");
        Cli.Result missing = Cli.run("schedules", "delete", "nope", "--url", url);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("HTTP 404", "schedule 'nope' not found");
    }
}
