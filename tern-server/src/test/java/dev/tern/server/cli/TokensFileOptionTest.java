package dev.tern.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tern server --tokens-file}: a file that cannot be used stops the start (exit 2) before anything is opened. */
class TokensFileOptionTest {
    @TempDir
    Path dir;

    @Test
    void aBrokenTokensFileIsABadArgumentNamingTheEntryAndField() throws Exception {
        Path data = dir.resolve("server-data");
        Path file = dir.resolve("tokens.json");
        Files.writeString(
                file,
                "{\"tokens\": [{\"token\": \"cli-secret-1\", \"org\": \"acme\", \"role\": \"admin\"},"
                        + " {\"token\": \"cli-secret-2\", \"org\": \"acme\", \"role\": \"superuser\"}]}");
        Cli.Result r =
                Cli.run("server", "--tokens-file", file.toString(), "--port", "0", "--data-dir", data.toString());
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err())
                .startsWith("tern: --tokens-file")
                .contains(file.toString())
                .contains("tokens[1].role: must be admin, member or viewer, was 'superuser'")
                .doesNotContain("cli-secret");
        assertThat(r.out()).isEmpty();
        assertThat(data).doesNotExist();
    }

    @Test
    void aMissingTokensFileIsABadArgument() {
        Path data = dir.resolve("server-data");
        Cli.Result r =
                Cli.run("server", "--tokens-file", dir.resolve("nope.json").toString(), "--data-dir", data.toString());
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("nope.json").contains("there is no such file");
        assertThat(data).doesNotExist();
    }
}
