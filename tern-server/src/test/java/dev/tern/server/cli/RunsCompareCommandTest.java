package dev.tern.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.RunOptions;
import dev.tern.server.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tern runs compare A B} against a running server: the table, the JSON, a missing run, bad arguments. */
class RunsCompareCommandTest {
    /** Never contacted: argument errors must be reported before any request. */
    private static final String NO_SERVER = "http://127.0.0.1:1";

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

    String hello(String name) throws InterruptedException {
        String id = Cli.schedule(url, "hello", "{\"name\": \"" + name + "\"}");
        server.awaitRun(id, Duration.ofSeconds(20));
        return id;
    }

    /** The table's lines: the two runs, a blank line, the header, one line per row, the totals, … */
    static List<String> lines(Cli.Result r) {
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(3)).as("%s", r).startsWith("   POS").contains("A NAME", "B STATUS", "A MS", "B TOKENS");
        return lines;
    }

    @Test
    void identicalRunsAreTheSameInEveryRow() throws Exception {
        String a = hello("Ada");
        String b = hello("Ada");
        Cli.Result r = Cli.ok("runs", "compare", a, b, "--url", url);
        List<String> lines = lines(r);
        assertThat(lines.get(0)).isEqualTo("a: " + a + "  hello (workflow)  completed");
        assertThat(lines.get(1)).isEqualTo("b: " + b + "  hello (workflow)  completed");
        List<String> rows = lines.subList(4, 6);
        assertThat(rows.get(0)).matches("\\s+0  chooseSalutation\\s+completed\\s+\\d+  0/0\\s+chooseSalutation.* =");
        assertThat(rows.get(1)).matches("\\s+1  formatGreeting\\s+completed\\s+\\d+  0/0\\s+formatGreeting.* =");
        assertThat(lines.get(6)).contains("total", "2 steps");
        assertThat(r.out())
                .contains("cost: a $0.0000, b $0.0000", "same: no step differs")
                .doesNotContain(">");
    }

    @Test
    void theFirstDifferenceIsMarkedAndEveryDifferingRowNamesItsFields() throws Exception {
        String ada = hello("Ada");
        String grace = hello("Grace");
        List<String> lines = lines(Cli.ok("runs", "compare", ada, grace, "--url", url));
        assertThat(lines.get(4)).startsWith(">    0  chooseSalutation").endsWith("≠ input");
        assertThat(lines.get(5)).startsWith("     1  formatGreeting").endsWith("≠ input, output");
        assertThat(lines).last().isEqualTo("first difference at position 0: input");

        // a fork of Ada's run from its second step with another name
        String fork = server.engine()
                .fork(ada, 1, JsonNodeFactory.instance.objectNode().put("name", "Linus"), RunOptions.none())
                .id();
        server.awaitRun(fork, Duration.ofSeconds(20));
        List<String> forked = lines(Cli.ok("runs", "compare", ada, fork, "--url", url));
        assertThat(forked.get(1)).endsWith("completed  fork of a from step 1");
        assertThat(forked.get(4)).startsWith("     0").endsWith(" =");
        assertThat(forked.get(5)).startsWith(">    1").endsWith("≠ input, output");

        // in the other order the original is no fork of a: b's line says nothing, a's names its origin
        List<String> reversed = lines(Cli.ok("runs", "compare", fork, ada, "--url", url));
        assertThat(reversed.get(0)).endsWith("fork of " + ada + " from step 1");
        assertThat(reversed.get(1)).endsWith("completed");
    }

    @Test
    void aRowOnlyOneRunHasShowsDashesOnTheOtherSide() throws Exception {
        String hello = hello("Ada");
        String sleepy = Cli.schedule(url, "sleepy", "{\"seconds\": 0}");
        server.awaitRun(sleepy, Duration.ofSeconds(20));
        List<String> lines = lines(Cli.ok("runs", "compare", hello, sleepy, "--url", url));
        assertThat(lines.get(5))
                .startsWith("     1  formatGreeting")
                .matches(".*completed .*  -\\s+-\\s+-\\s+-\\s+≠ .*");
        assertThat(lines.get(5)).contains("≠ name, type, status, input, output");
    }

    @Test
    void jsonPrintsTheComparisonAsTheServerAnswersIt() throws Exception {
        String a = hello("Ada");
        JsonNode json = Cli.ok("runs", "compare", a, a, "--json", "--url", url).json();
        assertThat(json.get("same").asBoolean()).isTrue();
        assertThat(json.get("rows")).hasSize(2);
        assertThat(json.get("a").get("runId").asText()).isEqualTo(a);
    }

    @Test
    void aMissingRunIsAClearErrorAndNothingIsPrinted() throws Exception {
        String a = hello("Ada");
        Cli.Result r = Cli.run("runs", "compare", a, "run_doesnotexist", "--url", url);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("tern: HTTP 404").contains("run_doesnotexist", "not found");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyRequest() {
        Cli.Result notAnId = Cli.run("runs", "compare", "run_abc", "../etc", "--url", NO_SERVER);
        assertThat(notAnId.exitCode()).as("%s", notAnId).isEqualTo(2);
        assertThat(notAnId.err()).startsWith("tern: '../etc' is not a run id").doesNotContain("cannot reach");

        Cli.Result one = Cli.run("runs", "compare", "run_abc", "--url", NO_SERVER);
        assertThat(one.exitCode()).as("%s", one).isEqualTo(2);
        assertThat(one.err()).contains("RUN_B");

        Cli.Result three = Cli.run("runs", "compare", "run_a", "run_b", "run_c", "--url", NO_SERVER);
        assertThat(three.exitCode()).as("%s", three).isEqualTo(2);
    }
}
