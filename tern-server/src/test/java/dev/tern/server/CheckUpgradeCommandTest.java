package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.server.cli.TernCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tern check-upgrade}: the server's in-flight runs replayed against the code in a classes directory. */
class CheckUpgradeCommandTest {
    @TempDir
    Path dir;

    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    record Result(int code, String out) {}

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = TernCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return new Result(cli.execute(args), out.toString());
    }

    Path code(String name, String body) throws Exception {
        String source = """
            package org.example;

            import dev.tern.sdk.*;

            public final class NewCode implements DefinitionsProvider {
              public record In(int seconds) {}

              @Override
              public Definitions definitions() {
                %s
              }
            }
            """.formatted(body);
        return UserCode.classes(
                dir.resolve(name), Map.of("org.example.NewCode", source), UserCode.provides("org.example.NewCode"));
    }

    @Test
    void listsTheInFlightRunsTheNewCodeWouldBreak() throws Exception {
        server = TestServer.start(dir.resolve("data"), null);
        String sleepy = server.post("/v1/runs", "{\"name\": \"sleepy\", \"input\": {\"seconds\": 3600}}")
                .body()
                .path("runId")
                .asText();
        org.awaitility.Awaitility.await()
                .until(() -> server.engine().requireRun(sleepy).suspended());

        Path same = code("same", "return dev.tern.examples.Demo.definitions();");
        Result ok = cli("check-upgrade", "--url", server.baseUrl(), "--definitions", same.toString());
        assertThat(ok.code()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("none would break");

        Path other = code(
                "other",
                "return Definitions.builder().workflow(WorkflowDefinition.of(\"sleepy\", In.class, In.class,"
                        + " (ctx, in) -> in)).build();");
        Result broken = cli("check-upgrade", "--url", server.baseUrl(), "--definitions", other.toString());
        assertThat(broken.code()).as(broken.out()).isEqualTo(1);
        assertThat(broken.out()).contains("BREAKS " + sleepy, "revision_missing", "1 would break");
    }
}
