package dev.tern.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.server.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tern runs list|get|cancel|events}. */
class RunsCommandTest {
    private static final String HEADER = "RUN ID";

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

    /** The table's rows without its header line. */
    private static List<String> rows(Cli.Result r) {
        List<String> lines = r.out().lines().toList();
        assertThat(lines).as("%s", r).isNotEmpty();
        assertThat(lines.get(0)).startsWith(HEADER).contains("KIND", "NAME", "STATUS", "CREATED");
        return lines.subList(1, lines.size());
    }

    @Test
    void listShowsTheRunsAndFiltersThem() throws Exception {
        String hello1 = Cli.schedule(url, "hello", "{\"name\": \"A\"}");
        server.awaitRun(hello1, Duration.ofSeconds(20));
        Thread.sleep(5); // distinct creation times: newest first is well defined
        String hello2 = Cli.schedule(url, "hello", "{\"name\": \"B\"}");
        server.awaitRun(hello2, Duration.ofSeconds(20));
        String sleepy = Cli.schedule(url, "sleepy", "{\"seconds\": 3600}");

        List<String> all = rows(Cli.ok("runs", "list", "--url", url));
        assertThat(all).hasSize(3);
        assertThat(String.join("\n", all)).contains(hello1, hello2, sleepy);
        assertThat(all)
                .anySatisfy(row -> assertThat(row).startsWith(hello1).contains("workflow", "hello", "completed"));
        assertThat(all).anySatisfy(row -> assertThat(row).startsWith(sleepy).contains("sleepy"));

        List<String> hellos = rows(Cli.ok("runs", "list", "--name", "hello", "--url", url));
        assertThat(hellos).hasSize(2).noneMatch(row -> row.contains(sleepy));

        List<String> one = rows(Cli.ok("runs", "list", "--name", "hello", "--limit", "1", "--url", url));
        assertThat(one).hasSize(1);
        assertThat(one.get(0)).startsWith(hello2);

        List<String> completed =
                rows(Cli.ok("runs", "list", "--status", "completed", "--kind", "workflow", "--url", url));
        assertThat(String.join("\n", completed)).contains(hello1, hello2).doesNotContain(sleepy);
    }

    @Test
    void listOnAnEmptyServerPrintsOnlyTheHeader() {
        assertThat(rows(Cli.ok("runs", "list", "--url", url))).isEmpty();
    }

    @Test
    void aBadFilterIsTheServersError() {
        Cli.Result r = Cli.run("runs", "list", "--status", "bogus", "--url", url);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).contains("HTTP 400").contains("status");
    }

    @Test
    void getPrintsTheRunAsJsonWithItsSteps() throws Exception {
        String id = Cli.schedule(url, "hello", "{\"name\": \"Grace\"}");
        server.awaitRun(id, Duration.ofSeconds(20));

        Cli.Result r = Cli.ok("runs", "get", id, "--url", url);
        JsonNode run = r.json();
        assertThat(run.get("runId").asText()).isEqualTo(id);
        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(run.get("output").get("message").asText()).isEqualTo("Hello, Grace!");
        assertThat(run.get("steps"))
                .extracting(s -> s.get("name").asText())
                .containsExactly("chooseSalutation", "formatGreeting");
        assertThat(run.get("attempts")).hasSize(1);
        assertThat(r.out()).as("indented for humans").contains("\n  \"runId\"");
    }

    @Test
    void getOfAnUnknownRunIsNotFound() {
        Cli.Result r = Cli.run("runs", "get", "run_doesnotexist", "--url", url);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("tern: HTTP 404");
    }

    @Test
    void cancelStopsASleepingRun() throws Exception {
        String id = Cli.schedule(url, "sleepy", "{\"seconds\": 3600}");
        // wait until it sleeps (suspended), so the cancel takes effect at once
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode run = Cli.ok("runs", "get", id, "--url", url).json();
        while (!run.path("waiting").path("suspended").asBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            run = Cli.ok("runs", "get", id, "--url", url).json();
        }
        assertThat(run.get("status").asText()).isEqualTo("running");

        JsonNode cancelled = Cli.ok("runs", "cancel", id, "--url", url).json();
        assertThat(cancelled.get("runId").asText()).isEqualTo(id);
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        assertThat(server.get("/v1/runs/" + id).body().get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void eventsListsTheHistoryFromSequenceOne() throws Exception {
        String id = Cli.schedule(url, "hello", "{\"name\": \"Ada\"}");
        server.awaitRun(id, Duration.ofSeconds(20));
        int expected =
                server.get("/v1/runs/" + id + "/history").body().get("events").size();

        List<String> lines =
                Cli.ok("runs", "events", id, "--url", url).out().lines().toList();
        assertThat(lines).hasSize(expected).hasSizeGreaterThan(2);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).as("line %d", i).matches("\\s*" + (i + 1) + " \\S+ \\S+.*");
        }
        assertThat(lines.get(0)).startsWith("   1 ");
        assertThat(String.join("\n", lines)).contains("Ada");
    }

    @Test
    void runsWithoutASubcommandIsAUsageError() {
        Cli.Result r = Cli.run("runs");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("subcommand");
    }

    @Test
    void forkStartsARunFromAStepWithANewInput() throws Exception {
        String original = Cli.schedule(url, "hello", "{\"name\": \"Ada\"}");
        server.awaitRun(original, Duration.ofSeconds(20));
        Cli.Result r = Cli.ok("runs", "fork", original, "--from", "0", "--input", "{\"name\": \"Lin\"}", "--url", url);
        String fork = r.json().get("runId").asText();
        assertThat(r.json().path("forkedFrom").path("runId").asText()).isEqualTo(original);
        assertThat(server.awaitRun(fork, Duration.ofSeconds(20))
                        .path("output")
                        .path("message")
                        .asText())
                .contains("Lin");

        Cli.Result past = Cli.run("runs", "fork", original, "--from", "99", "--url", url);
        assertThat(past.exitCode()).as("%s", past).isNotZero();
        assertThat(past.err()).contains("fromStep");
        Cli.Result negative = Cli.run("runs", "fork", original, "--from", "-1", "--url", url);
        assertThat(negative.exitCode()).as("%s", negative).isEqualTo(2);
        Cli.Result noFrom = Cli.run("runs", "fork", original, "--url", url);
        assertThat(noFrom.exitCode()).as("%s", noFrom).isEqualTo(2);
    }
}
