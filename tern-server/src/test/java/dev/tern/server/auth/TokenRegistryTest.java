package dev.tern.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.engine.OrgQuota;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokens file's strict parsing (errors name the entry and field, never a token), lookups and quotas. */
class TokenRegistryTest {
    static final String SECRET = "sk-very-secret-1";

    @TempDir
    Path dir;

    static String sha256Hex(String token) {
        return HexFormat.of().formatHex(TokensFile.sha256(token));
    }

    TokenRegistry load(String json) throws Exception {
        Path file = dir.resolve("tokens.json");
        Files.writeString(file, json);
        return TokenRegistry.of(file, null);
    }

    String error(String json) {
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> load(json));
        assertThat(e).isInstanceOf(TokensFileException.class);
        assertThat(e.getMessage()).startsWith("tokens file " + dir.resolve("tokens.json") + ": ");
        assertThat(e.getMessage()).doesNotContain(SECRET);
        return e.getMessage();
    }

    @Test
    void parsesTokensHashedTokensAndQuotas() throws Exception {
        TokenRegistry tokens = load("{\"tokens\": ["
                + "{\"token\": \"" + SECRET + "\", \"org\": \"acme\", \"role\": \"admin\", \"name\": \"ci\"},"
                + "{\"tokenSha256\": \"" + sha256Hex("hashed").toUpperCase() + "\", \"org\": \"globex\", "
                + "\"role\": \"viewer\"}],"
                + "\"orgs\": {\"acme\": {\"maxActiveRuns\": 5, \"schedulesPerSecond\": 2.5}, \"globex\": {}}}");
        assertThat(tokens.required()).isTrue();
        assertThat(tokens.caller(SECRET)).contains(new Caller("acme", Role.ADMIN, "ci"));
        assertThat(tokens.authenticate("bearer " + SECRET)).contains(new Caller("acme", Role.ADMIN, "ci"));
        Caller hashed = tokens.caller("hashed").orElseThrow();
        assertThat(hashed.org()).isEqualTo("globex");
        assertThat(hashed.role()).isEqualTo(Role.VIEWER);
        assertThat(hashed.name()).isEqualTo("sha256:" + sha256Hex("hashed").substring(0, 8));
        assertThat(tokens.caller("nope")).isEmpty();
        assertThat(tokens.caller(SECRET + "x")).isEmpty();
        assertThat(tokens.caller("")).isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();
        assertThat(tokens.authenticate("Basic " + SECRET)).isEmpty();
        assertThat(tokens.quota("acme")).isEqualTo(new OrgQuota(5, 2.5));
        assertThat(tokens.quota("globex")).isEqualTo(OrgQuota.UNLIMITED);
        assertThat(tokens.quota("initech")).isEqualTo(OrgQuota.UNLIMITED);
        assertThat(tokens.quotas()).containsOnlyKeys("acme", "globex");
        assertThat(tokens.describe()).contains("2 tokens").doesNotContain(SECRET);
    }

    @Test
    void everyMistakeNamesTheEntryAndField() {
        String ok = "\"org\": \"acme\", \"role\": \"member\"";
        assertThat(error("{\"tokens\": [{\"token\": \"a\", " + ok + "}, {\"token\": \"b\", \"org\": \"acme\", "
                        + "\"role\": \"owner\"}]}"))
                .contains("tokens[1].role: must be admin, member or viewer, was 'owner'");
        assertThat(error("{\"tokens\": [{\"token\": \"" + SECRET + "\", \"tokenSha256\": \"" + sha256Hex("x") + "\", "
                        + ok + "}]}"))
                .contains("tokens[0]: has both token and tokenSha256");
        assertThat(error("{\"tokens\": [{\"token\": \"a\", " + ok + "}, {" + ok + "}]}"))
                .contains("tokens[1]: needs token or tokenSha256");
        assertThat(error("{\"tokens\": [{\"tokenSha256\": \"abc\", " + ok + "}]}"))
                .contains("tokens[0].tokenSha256: must be 64 hexadecimal digits");
        assertThat(error("{\"tokens\": [{\"tokenSha256\": \"" + "g".repeat(64) + "\", " + ok + "}]}"))
                .contains("tokens[0].tokenSha256");
        assertThat(error("{\"tokens\": [{\"token\": \"" + SECRET + "\", " + ok + "}, {\"tokenSha256\": \""
                        + sha256Hex(SECRET) + "\", " + ok + "}]}"))
                .contains("tokens[1]: the same token as tokens[0]");
        assertThat(error("{\"tokens\": [{\"token\": \"" + SECRET + "\", \"org\": \"bad org\", \"role\": \"admin\"}]}"))
                .contains("tokens[0].org: must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$, was 'bad org'");
        assertThat(error(
                        "{\"tokens\": [{\"token\": \"a\", \"org\": \"" + "a".repeat(64) + "\", \"role\": \"admin\"}]}"))
                .contains("tokens[0].org");
        assertThat(error("{\"tokens\": [{\"token\": \"" + SECRET + "\", \"role\": \"admin\"}]}"))
                .contains("tokens[0].org: is required");
        assertThat(error("{\"tokens\": [{\"token\": \"" + SECRET + "\", \"tokn\": 1, " + ok + "}]}"))
                .contains("tokens[0].tokn: unknown field");
        assertThat(error("{\"tokens\": [{\"token\": \"two words\", " + ok + "}]}"))
                .contains("tokens[0].token: must be a non-empty string");
        assertThat(error("{\"tokens\": [{\"token\": 42, " + ok + "}]}")).contains("tokens[0].token");
        assertThat(error("{\"tokens\": [{\"token\": \"a\", " + ok + ", \"name\": \"\"}]}"))
                .contains("tokens[0].name");
        assertThat(error("{\"tokens\": [], \"extra\": true}")).contains("extra: unknown field");
        assertThat(error("{\"orgs\": {}}")).contains("tokens: is required");
        assertThat(error("{\"tokens\": {}}")).contains("tokens: must be an array");
        assertThat(error("{\"tokens\": [], \"orgs\": {\"acme\": {\"maxActiveRuns\": -1}}}"))
                .contains("orgs.acme.maxActiveRuns: must be a whole number, 0 or more");
        assertThat(error("{\"tokens\": [], \"orgs\": {\"acme\": {\"maxActiveRuns\": 1.5}}}"))
                .contains("orgs.acme.maxActiveRuns");
        assertThat(error("{\"tokens\": [], \"orgs\": {\"acme\": {\"schedulesPerSecond\": -1}}}"))
                .contains("orgs.acme.schedulesPerSecond: must be a number above 0");
        assertThat(error("{\"tokens\": [], \"orgs\": {\"acme\": {\"burst\": 1}}}"))
                .contains("orgs.acme.burst: unknown field");
        assertThat(error("{\"tokens\": [], \"orgs\": {\"-acme\": {}}}")).contains("orgs: '-acme' is not");
        assertThat(error("")).contains("empty");
        assertThat(error("[]")).contains("must be a JSON object");
        assertThat(error("{\"tokens\": [{\"token\": \"" + SECRET + "\", \"token\": \"" + SECRET + "\"}]}"))
                .contains("a member is repeated: 'token'");
        // Jackson would quote an unquoted token in its message: only the place is said
        assertThat(error("{\"tokens\": [{\"token\": " + SECRET + "}]}")).contains("not valid JSON at line 1");
        assertThat(error("{\"tokens\": []} {}")).contains("not valid JSON");
    }

    @Test
    void theEnvTokenIsAnAdminOfTheDefaultOrgAndMayNotBeRepeatedInTheFile() throws Exception {
        TokenRegistry env = TokenRegistry.of(null, "from-env");
        assertThat(env.caller("from-env")).contains(new Caller("default", Role.ADMIN, "env"));
        assertThat(env.describe()).isEqualTo("bearer token");

        Path file = dir.resolve("tokens.json");
        Files.writeString(file, "{\"tokens\": [{\"token\": \"a\", \"org\": \"acme\", \"role\": \"viewer\"}]}");
        TokenRegistry both = TokenRegistry.of(file, "from-env");
        assertThat(both.caller("from-env")).contains(new Caller("default", Role.ADMIN, "env"));
        assertThat(both.caller("a").orElseThrow().org()).isEqualTo("acme");

        Files.writeString(file, "{\"tokens\": [{\"token\": \"from-env\", \"org\": \"acme\", \"role\": \"viewer\"}]}");
        assertThatThrownBy(() -> TokenRegistry.of(file, "from-env"))
                .hasMessageContaining("tokens[0]: the same token as RESTACK_API_BEARER_TOKEN")
                .hasMessageNotContaining("from-env");
    }

    @Test
    void withNoTokensEveryoneIsTheAnonymousAdmin() {
        TokenRegistry open = TokenRegistry.open();
        assertThat(open.required()).isFalse();
        assertThat(open.authenticate(null)).contains(new Caller("default", Role.ADMIN, "anonymous"));
        assertThat(open.authenticate("Bearer whatever")).contains(Caller.anonymous());
        assertThat(open.describe()).isEqualTo("off");
        assertThat(open.reload()).isFalse();
    }

    @Test
    void aReloadKeepsThePreviousContentsWhenTheFileIsBrokenOrGone() throws Exception {
        Path file = dir.resolve("tokens.json");
        Files.writeString(file, "{\"tokens\": [{\"token\": \"a\", \"org\": \"acme\", \"role\": \"viewer\"}]}");
        TokenRegistry tokens = TokenRegistry.of(file, null);
        Files.writeString(file, "{\"tokens\": [{\"token\": \"b\", \"org\": \"acme\", \"role\": \"member\"}]}");
        assertThat(tokens.reload()).isTrue();
        assertThat(tokens.caller("a")).isEmpty();
        assertThat(tokens.caller("b").orElseThrow().role()).isEqualTo(Role.MEMBER);

        Files.writeString(file, "{\"tokens\": [{\"token\": \"c\", \"org\": \"acme\", \"role\": \"boss\"}]}");
        assertThat(tokens.reload()).isFalse();
        assertThat(tokens.caller("b")).isPresent();
        assertThat(tokens.caller("c")).isEmpty();

        Files.delete(file);
        assertThat(tokens.reload()).isFalse();
        assertThat(tokens.caller("b")).isPresent();
    }

    @Test
    void aChangedFileIsReReadOnALookupWithinASecondOrSo() throws Exception {
        Path file = dir.resolve("tokens.json");
        Files.writeString(file, "{\"tokens\": [{\"token\": \"a\", \"org\": \"acme\", \"role\": \"viewer\"}]}");
        TokenRegistry tokens = TokenRegistry.of(file, null);
        Path next = dir.resolve("next.json");
        Files.write(
                next,
                "{\"tokens\": [{\"token\": \"b\", \"org\": \"acme\", \"role\": \"viewer\"}]}"
                        .getBytes(StandardCharsets.UTF_8));
        Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (tokens.caller("b").isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(tokens.caller("b")).isPresent();
        assertThat(tokens.caller("a")).isEmpty();
    }
}
