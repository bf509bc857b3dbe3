package dev.tern.server;

import static dev.tern.server.OrgRolesTest.ADMIN;
import static dev.tern.server.OrgRolesTest.MEMBER;
import static dev.tern.server.OrgRolesTest.VIEWER;
import static dev.tern.server.OrgRolesTest.entry;
import static dev.tern.server.OrgRolesTest.tokensFile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.server.auth.TokenRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokens file is re-read when it changes, as a running server sees it: an added token works and a removed one gets
 * 401 within a couple of seconds; an edit that breaks the file leaves the previous tokens in force.
 */
class TokensFileReloadTest {
    static final long WITHIN_MILLIS = 3_000;

    @TempDir
    Path dir;

    /** Milliseconds until {@code token} gets {@code status} on GET /v1/runs; fails after {@link #WITHIN_MILLIS}. */
    static long until(TestServer server, String token, int status) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            int now = server.send("GET", "/v1/runs", null, token).status();
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (now == status) return waited;
            assertThat(waited)
                    .as("%s… still gets %d, not %d", token.substring(0, 6), now, status)
                    .isLessThan(WITHIN_MILLIS);
            Thread.sleep(50);
        }
    }

    @Test
    void addedTokensWorkRemovedOnesGet401AndABrokenEditChangesNothing() throws Exception {
        Path file = dir.resolve("tokens.json");
        Files.writeString(file, tokensFile(entry(ADMIN, "acme", "admin"), entry(MEMBER, "acme", "member")));
        try (TestServer server = TestServer.startWithTokens(dir.resolve("data"), TokenRegistry.of(file, null))) {
            assertThat(server.send("GET", "/v1/runs", null, MEMBER).status()).isEqualTo(200);
            assertThat(server.send("GET", "/v1/runs", null, VIEWER).status()).isEqualTo(401);

            // a person's edit: the viewer added, the member removed, written in place
            Files.writeString(file, tokensFile(entry(ADMIN, "acme", "admin"), entry(VIEWER, "acme", "viewer")));
            until(server, VIEWER, 200);
            until(server, MEMBER, 401);
            assertThat(server.send("POST", "/api/workflows/hello", OrgRolesTest.HELLO, VIEWER)
                            .status())
                    .isEqualTo(403);

            // broken: the previous contents stay, however long we wait
            Files.writeString(file, tokensFile(entry(ADMIN, "acme", "admin"), entry(MEMBER, "acme", "owner")));
            Thread.sleep(2_200);
            assertThat(server.send("GET", "/v1/runs", null, VIEWER).status()).isEqualTo(200);
            assertThat(server.send("GET", "/v1/runs", null, MEMBER).status()).isEqualTo(401);
            assertThat(server.status("GET", "/metrics", ADMIN)).isEqualTo(200);

            // fixed again: read at once, the viewer's role changed
            Files.writeString(file, tokensFile(entry(ADMIN, "acme", "admin"), entry(VIEWER, "acme", "member")));
            long start = System.nanoTime();
            while (server.send("POST", "/api/workflows/hello", OrgRolesTest.HELLO, VIEWER)
                            .status()
                    != 200) {
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(WITHIN_MILLIS);
                Thread.sleep(50);
            }
            assertThat(server.send("GET", "/v1/runs", null, MEMBER).status()).isEqualTo(401);
        }
    }
}
