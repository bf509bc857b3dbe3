package dev.tern.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tern.server.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument errors (exit 2), unreachable servers, authentication, and the server command's validation. */
class CliErrorsTest {
    @TempDir
    Path dir;

    /** Never contacted: argument errors must be reported before any request. */
    private static final String NO_SERVER = "http://127.0.0.1:1";

    @Test
    void inputThatIsNotJsonIsABadArgumentNamingTheOption() {
        Cli.Result r = Cli.run("run", "hello", "--input", "not json", "--url", NO_SERVER);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).startsWith("tern: --input is not valid JSON").doesNotContain("cannot reach");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void inputWithTrailingTextIsABadArgumentNotSilentlyTruncated() {
        for (String input :
                new String[] {"{\"name\":\"Ada\"} junk", "{\"name\":\"Ada\"}}", "{\"name\":\"Ada\"} {\"name\":\"Bob\"}"
                }) {
            Cli.Result r = Cli.run("run", "hello", "--input", input, "--url", NO_SERVER);
            assertThat(r.exitCode()).as("input <%s>: %s", input, r).isEqualTo(2);
            assertThat(r.err())
                    .as("input <%s>", input)
                    .startsWith("tern: --input is not valid JSON")
                    .doesNotContain("cannot reach");
        }
    }

    @Test
    void inputThatIsNotAnObjectIsABadArgument() {
        for (String input : new String[] {"[1]", "42", "\"Ada\"", "null", ""}) {
            Cli.Result r = Cli.run("run", "hello", "--input", input, "--url", NO_SERVER);
            assertThat(r.exitCode()).as("input <%s>: %s", input, r).isEqualTo(2);
            assertThat(r.err()).as("input <%s>", input).contains("--input must be a JSON object");
        }
    }

    @Test
    void runWithoutANameIsAUsageError() {
        Cli.Result r = Cli.run("run", "--url", NO_SERVER);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("NAME").contains("Usage:");
    }

    @Test
    void unknownSubcommandsAndOptionsAreUsageErrors() {
        Cli.Result unknownCommand = Cli.run("frobnicate");
        assertThat(unknownCommand.exitCode()).as("%s", unknownCommand).isEqualTo(2);
        assertThat(unknownCommand.err()).contains("frobnicate");

        Cli.Result unknownOption = Cli.run("run", "hello", "--bogus", "--url", NO_SERVER);
        assertThat(unknownOption.exitCode()).as("%s", unknownOption).isEqualTo(2);
        assertThat(unknownOption.err()).contains("--bogus");

        Cli.Result unknownRunsCommand = Cli.run("runs", "frobnicate", "--url", NO_SERVER);
        assertThat(unknownRunsCommand.exitCode()).as("%s", unknownRunsCommand).isEqualTo(2);

        Cli.Result badNumber = Cli.run("runs", "list", "--limit", "many", "--url", NO_SERVER);
        assertThat(badNumber.exitCode()).as("%s", badNumber).isEqualTo(2);
        assertThat(badNumber.err()).contains("--limit");
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Result r = Cli.run();
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("a command is required");
    }

    @Test
    void helpAndVersionExitZero() {
        Cli.Result help = Cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("server", "run", "runs", "send");
        Cli.Result version = Cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).contains("tern");
    }

    @Test
    void anUnreachableServerExitsOneSayingSo() {
        Cli.Result r = Cli.run("runs", "list", "--url", NO_SERVER);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).contains("cannot reach Tern").contains(NO_SERVER);
        assertThat(r.out()).isEmpty();

        Cli.Result run = Cli.run("run", "hello", "--input", "{\"name\":\"Ada\"}", "--url", NO_SERVER);
        assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
        assertThat(run.err()).contains("cannot reach Tern");
    }

    @Test
    void anInvalidUrlIsABadArgument() {
        Cli.Result r = Cli.run("runs", "list", "--url", "not a url");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("--url");
    }

    @Test
    void aServerWithATokenRejectsCallsWithoutIt() {
        assumeTrue(
                System.getenv("RESTACK_API_BEARER_TOKEN") == null,
                "RESTACK_API_BEARER_TOKEN is set in the environment");
        try (TestServer server = TestServer.start(dir, "tok")) {
            Cli.Result none = Cli.run("runs", "list", "--url", server.baseUrl());
            assertThat(none.exitCode()).as("%s", none).isEqualTo(1);
            assertThat(none.err()).contains("401");
            assertThat(none.out()).isEmpty();

            Cli.Result wrong = Cli.run("runs", "list", "--url", server.baseUrl(), "--token", "nope");
            assertThat(wrong.exitCode()).as("%s", wrong).isEqualTo(1);
            assertThat(wrong.err()).contains("401");

            Cli.Result ok = Cli.run("runs", "list", "--url", server.baseUrl(), "--token", "tok");
            assertThat(ok.exitCode()).as("%s", ok).isZero();
            assertThat(ok.out()).startsWith("RUN ID");

            Cli.Result run =
                    Cli.run("run", "hello", "--input", "{\"name\":\"T\"}", "--url", server.baseUrl(), "--token", "tok");
            assertThat(run.exitCode()).as("%s", run).isZero();
            String runId = run.json().get("runId").asText();
            assertThat(Cli.ok("runs", "list", "--url", server.baseUrl(), "--token", "tok")
                            .out())
                    .contains(runId);
        }
    }

    @Test
    void serverRejectsAnOutOfRangePortBeforeStartingAnything() {
        Path data = dir.resolve("server-data");
        Cli.Result r = Cli.run("server", "--port", "70000", "--data-dir", data.toString());
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("--port must be between 0 and 65535");
        assertThat(data).doesNotExist();

        Cli.Result negative = Cli.run("server", "--port", "-1", "--data-dir", data.toString());
        assertThat(negative.exitCode()).as("%s", negative).isEqualTo(2);

        Cli.Result body = Cli.run("server", "--max-body-bytes", "0", "--data-dir", data.toString());
        assertThat(body.exitCode()).as("%s", body).isEqualTo(2);
        assertThat(body.err()).contains("--max-body-bytes");

        Cli.Result notANumber = Cli.run("server", "--port", "http", "--data-dir", data.toString());
        assertThat(notANumber.exitCode()).as("%s", notANumber).isEqualTo(2);
        assertThat(data).doesNotExist();
    }

    @Test
    void serverRejectsADatabaseSchemaTooLongForItsChannelsBeforeConnecting() {
        String schema = "s".repeat(51);
        Cli.Result r = Cli.run(
                "server",
                "--port",
                "0",
                "--database-url",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=" + schema);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err())
                .contains("the PostgreSQL schema name '" + schema + "' is 51 bytes long")
                .contains("at most 50 bytes (a shorter currentSchema in the database URL)")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void serverRejectsAnUnknownLogFormatBeforeStartingAnything() {
        Path data = dir.resolve("server-data");
        Cli.Result r = Cli.run("server", "--log-format", "xml", "--data-dir", data.toString());
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("--log-format (env TERN_LOG_FORMAT) must be text or json, was 'xml'");
        assertThat(r.out()).isEmpty();
        assertThat(data).doesNotExist();
    }
}
