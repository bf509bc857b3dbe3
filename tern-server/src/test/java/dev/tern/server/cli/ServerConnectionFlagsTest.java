package dev.tern.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tern server}'s connection flags are checked before anything starts. */
class ServerConnectionFlagsTest {
    @TempDir
    Path dir;

    @Test
    void outOfRangeConnectionLimitsAreBadArgumentsNamingTheFlag() {
        Path data = dir.resolve("server-data");
        String[][] cases = {
            {"--accept-queue-size", "0"},
            {"--accept-queue-size", "70000"},
            {"--idle-timeout-seconds", "0"},
            {"--request-timeout-seconds", "-5"},
        };
        for (String[] c : cases) {
            Cli.Result r = Cli.run("server", c[0], c[1], "--data-dir", data.toString());
            assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
            assertThat(r.err()).contains(c[0]);
        }
        assertThat(data).doesNotExist();
    }
}
