package dev.tern.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code tern server --public-url}: a value that is not an absolute http(s) URL is a bad argument, before anything
 * starts.
 */
class PublicUrlOptionTest {
    @Test
    void aPublicUrlThatIsNotAnAbsoluteHttpUrlIsABadArgument() {
        Cli.Result r = Cli.run("server", "--port", "0", "--public-url", "ftp://tern.example.com");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("public URL").contains("ftp://tern.example.com");
    }
}
