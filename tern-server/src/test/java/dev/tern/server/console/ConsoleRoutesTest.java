package dev.tern.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.server.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the server serves the console, without a browser: its page at its own addresses, its files from the jar, no token
 * needed for either while every API route still needs one, and the API's problems untouched for every other path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleRoutesTest {
    static final String TOKEN = "console-routes-token";
    static final Path SOURCES = Path.of("src/main/resources/console");

    @TempDir
    static Path dir;

    TestServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        server = TestServer.start(dir, TOKEN);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageIsServedAtItsAddressesWithoutAToken() throws Exception {
        for (String path : List.of("/", "/runs/run_abc", "/schedules", "/definitions")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'self'")
                    .contains("script-src 'self'");
            assertThat(r.body()).contains("<script type=\"module\" src=\"/console/js/main.js\">");
        }
        HttpResponse<String> js = get("/console/js/main.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        String etag = js.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/console/js/main.js", "If-None-Match", etag).statusCode())
                .isEqualTo(304);
        assertThat(get("/console/css/console.css")
                        .headers()
                        .firstValue("Content-Type")
                        .orElseThrow())
                .startsWith("text/css");
    }

    @Test
    void everyFileTheConsoleNamesIsServedAndEveryModuleIsPreloaded() throws Exception {
        String index = get("/").body();
        Matcher m = Pattern.compile("(?:href|src)=\"(/console/[^\"]+)\"").matcher(index);
        int named = 0;
        while (m.find()) {
            named++;
            assertThat(get(m.group(1)).statusCode()).as(m.group(1)).isEqualTo(200);
        }
        assertThat(named).isGreaterThan(3);
        try (Stream<Path> files = Files.walk(SOURCES.resolve("js"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".js")).toList()) {
                String url = "/console/" + SOURCES.relativize(f).toString().replace('\\', '/');
                if (!url.endsWith("/main.js")) {
                    assertThat(index)
                            .as("modulepreload of " + url)
                            .contains("<link rel=\"modulepreload\" href=\"" + url + "\">");
                }
                // imports name files that exist: a typo would only show in a browser
                Matcher imports = Pattern.compile("from '(\\.{1,2}/[^']+)'").matcher(Files.readString(f));
                while (imports.find())
                    assertThat(f.getParent().resolve(imports.group(1)).normalize())
                            .as(f + " imports")
                            .exists();
            }
        }
    }

    @Test
    void theApiStillNeedsTheTokenAndTheSessionSaysWhetherItIsRight() throws Exception {
        assertThat(get("/v1/runs").statusCode()).isEqualTo(401);
        assertThat(get("/v1/runs", "Authorization", "Bearer " + TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(get("/console/session").body())
                .contains("\"tokenRequired\":true")
                .contains("\"tokenAccepted\":false");
        assertThat(get("/console/session", "Authorization", "Bearer wrong").body())
                .contains("\"tokenAccepted\":false");
        HttpResponse<String> right = get("/console/session", "Authorization", "Bearer " + TOKEN);
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).contains("\"tokenAccepted\":true");
        assertThat(right.headers().firstValue("Cache-Control").orElseThrow()).isEqualTo("no-store");
    }

    @Test
    void otherPathsKeepTheirProblems() throws Exception {
        for (String path : List.of(
                "/console/nope.js", "/console/../v1/runs", "/console/js/../../../pom.xml", "/console/index.HTML")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow())
                    .as(path)
                    .startsWith("application/problem+json");
        }
        // not a page of the console: as before, the token first, then the API's 404
        assertThat(get("/runs/a/b").statusCode()).isEqualTo(401);
        assertThat(get("/runs/a/b", "Authorization", "Bearer " + TOKEN).statusCode())
                .isEqualTo(404);
        HttpResponse<String> api = get("/v1/nope", "Authorization", "Bearer " + TOKEN);
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(api.body()).contains("no route for GET /v1/nope");
        assertThat(get("/health").body()).contains("ok");
        // the console's one JSON route is part of the API; its pages and files are not
        assertThat(get("/openapi.json", "Authorization", "Bearer " + TOKEN)
                        .body()
                        .replace("\"/console/session\"", ""))
                .doesNotContain("\"/console")
                .doesNotContain("\"/runs/{runId}\"");
    }
}
