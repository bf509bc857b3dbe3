package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.server.cli.TernCli;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tern init} end to end: the generated project is built and tested by its own Maven Wrapper against this
 * checkout's artifacts (installed into a temporary local repository; everything else comes from the Maven cache this
 * build already filled), then served by {@code tern server --definitions} from its jar, and its sample workflow run
 * over HTTP.
 */
class StarterProjectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> INSTALLED = List.of("tern-sdk", "tern-engine", "tern-testkit");

    @TempDir
    Path tmp;

    @Test
    void aNewProjectBuildsTestsAndServesWithNoEdit() throws Exception {
        Path project = tmp.resolve("acme-bots");
        Run init = tern("init", project.toString(), "--package", "com.acme.bots");
        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(init.out()).contains("Created acme-bots");
        assertThat(project.resolve("src/main/java/com/acme/bots/AcmeBotsDefinitions.java"))
                .exists();
        assertThat(Files.isExecutable(project.resolve("mvnw"))).isTrue();

        Path settings = localRepository(tmp.resolve("repo"));
        Process build = new ProcessBuilder(
                        project.resolve("mvnw").toString(), "-B", "-s", settings.toString(), "verify")
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("build.log").toFile())
                .start();
        assertThat(build.waitFor(8, TimeUnit.MINUTES)).isTrue();
        String log = Files.readString(tmp.resolve("build.log"));
        assertThat(build.exitValue()).as(log).isZero();
        assertThat(log).contains("Tests run: 2, Failures: 0, Errors: 0").contains("BUILD SUCCESS");

        Path jar = project.resolve("target/acme-bots-0.1.0-SNAPSHOT.jar");
        assertThat(jar).exists();
        try (ServerProcess server =
                ServerProcess.start(tmp.resolve("data"), Map.of(), "--definitions", jar.toString())) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/runs"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"name\": \"greeting\", \"input\": {\"name\": \"Ada\", "
                                            + "\"daysUntilFollowUp\": 0}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isIn(200, 201, 202);
            String runId = JSON.readTree(created.body()).get("runId").asText();
            JsonNode run = null;
            for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    System.nanoTime() < deadline;
                    Thread.sleep(50)) {
                run = JSON.readTree(http.send(
                                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/runs/" + runId))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
                if (run.get("status").asText().equals("completed")) break;
            }
            assertThat(run.get("status").asText()).as(server.output()).isEqualTo("completed");
            assertThat(run.get("output").get("followUp").asText()).isEqualTo("How are you, Ada?");
        }
    }

    @Test
    void badNamesAndTakenDirectoriesAreRefused() throws Exception {
        assertThat(tern("init", tmp.resolve("x").toString(), "--package", "com.class.x")
                        .err())
                .contains("--package must be a Java package");
        assertThat(tern("init", tmp.resolve("Bad_Name").toString()).err()).contains("Maven artifactId");
        Files.writeString(Files.createDirectories(tmp.resolve("taken")).resolve("file.txt"), "x");
        Run taken = tern("init", tmp.resolve("taken").toString(), "--name", "ok-name");
        assertThat(taken.exitCode()).isEqualTo(2);
        assertThat(taken.err()).contains("is not empty");
    }

    record Run(int exitCode, String out, String err) {}

    private static Run tern(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TernCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * A local repository holding this checkout's artifacts as {@code ./mvnw install} would put them, and Maven settings
     * that look for everything else first in the cache this build resolved from (then in Maven Central, for the few
     * descriptors only a separate project's dependency tree needs).
     */
    private static Path localRepository(Path repo) throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String version = ternVersion();
        install(repo, "tern-parent", version, root.resolve("pom.xml"), null);
        for (String module : INSTALLED) {
            install(
                    repo,
                    module,
                    version,
                    root.resolve(module).resolve("pom.xml"),
                    root.resolve(module).resolve("target/" + module + "-" + version + ".jar"));
        }
        Path settings = repo.resolveSibling("settings.xml");
        Files.writeString(settings, """
        <settings>
          <localRepository>%1$s</localRepository>
          <profiles><profile><id>build-cache</id>
            <repositories><repository><id>build-cache</id><url>%2$s</url></repository></repositories>
            <pluginRepositories>
              <pluginRepository><id>build-cache</id><url>%2$s</url></pluginRepository>
            </pluginRepositories>
          </profile></profiles>
          <activeProfiles><activeProfile>build-cache</activeProfile></activeProfiles>
        </settings>
        """.formatted(repo, buildCache().toUri()));
        return settings;
    }

    private static void install(Path repo, String artifact, String version, Path pom, Path jar) throws IOException {
        Path dir = Files.createDirectories(
                repo.resolve("dev/tern").resolve(artifact).resolve(version));
        Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"));
        if (jar != null) {
            assertThat(jar)
                    .as("built before this test (the reactor packages it first)")
                    .exists();
            Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"));
        }
    }

    /** The local repository this build resolved its dependencies from (where JUnit's jar came from). */
    private static Path buildCache() {
        String marker = "/org/junit/jupiter/junit-jupiter-api/";
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(p -> p.contains(marker))
                .findFirst()
                .map(p -> Path.of(p.substring(0, p.indexOf(marker))))
                .orElseThrow(() -> new IllegalStateException("no Maven repository on the class path"));
    }

    private static String ternVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in =
                StarterProjectTest.class.getClassLoader().getResourceAsStream("starter/tern-version.properties")) {
            p.load(in);
        }
        return p.getProperty("version");
    }
}
