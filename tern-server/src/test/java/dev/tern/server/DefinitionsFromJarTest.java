package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern server --definitions}: a user's jar or classes directory, compiled for real, served by a real server
 * process over HTTP; and every way such code can be wrong, refused at start-up with exit code 2 and a message naming
 * the path (and the name).
 */
class DefinitionsFromJarTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    static String greeter(String pkg, String workflowName) {
        return """
        package %s;

        import dev.tern.sdk.Definitions;
        import dev.tern.sdk.DefinitionsProvider;
        import dev.tern.sdk.WorkflowDefinition;

        public final class Greeter implements DefinitionsProvider {
          public record In(String name) {}
          public record Out(String greeting) {}

          public static final WorkflowDefinition<In, Out> GREET = WorkflowDefinition.of("%s", In.class, Out.class,
              (ctx, in) -> new Out(ctx.step("compose", String.class, () -> "Hello, " + in.name() + "!")));

          @Override
          public Definitions definitions() {
            return Definitions.builder().workflow(GREET).build();
          }
        }
        """.formatted(pkg, workflowName);
    }

    private Path userJar(String name, String pkg, String workflowName) throws Exception {
        Path classes = UserCode.classes(
                dir.resolve(name + "-classes"),
                Map.of(pkg + ".Greeter", greeter(pkg, workflowName)),
                UserCode.provides(pkg + ".Greeter"));
        return UserCode.jar(classes, dir.resolve(name + ".jar"));
    }

    @Test
    void aJarsDefinitionsAreServedInsteadOfTheDemos() throws Exception {
        Path jar = userJar("acme", "com.acme", "greet");
        try (ServerProcess server =
                ServerProcess.start(dir.resolve("data"), Map.of(), "--definitions", jar.toString())) {
            List<String> names = definitionNames(server);
            assertThat(names).containsExactly("greet");
            JsonNode run = scheduleAndAwait(server, "{\"name\": \"greet\", \"input\": {\"name\": \"Ada\"}}");
            assertThat(run.get("status").asText()).as(server.output()).isEqualTo("completed");
            assertThat(run.get("output").get("greeting").asText()).isEqualTo("Hello, Ada!");
            assertThat(post(server, "/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"x\"}}")
                            .statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void aClassesDirectoryFromTheEnvironmentWithTheDemo() throws Exception {
        Path classes = UserCode.classes(
                dir.resolve("classes"),
                Map.of("org.example.Greeter", greeter("org.example", "greet")),
                UserCode.provides("org.example.Greeter"));
        try (ServerProcess server =
                ServerProcess.start(dir.resolve("data"), Map.of("TERN_DEFINITIONS", classes.toString()), "--demo")) {
            assertThat(definitionNames(server)).contains("greet", "hello", "assistant");
            JsonNode run = scheduleAndAwait(server, "{\"name\": \"greet\", \"input\": {\"name\": \"Grace\"}}");
            assertThat(run.get("output").get("greeting").asText()).isEqualTo("Hello, Grace!");
        }
    }

    @Test
    void twoJarsTogether() throws Exception {
        Path a = userJar("a", "com.a", "greet-a");
        Path b = userJar("b", "com.b", "greet-b");
        try (ServerProcess server = ServerProcess.start(
                dir.resolve("data"), Map.of(), "--definitions", a.toString(), "--definitions", b.toString())) {
            assertThat(definitionNames(server)).containsExactlyInAnyOrder("greet-a", "greet-b");
        }
    }

    @Test
    void aPathThatDoesNotExist() throws Exception {
        Failure f = failing("--definitions", dir.resolve("missing.jar").toString());
        assertThat(f.output()).contains("missing.jar does not exist");
    }

    @Test
    void aFileThatIsNotAJar() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.jar"), "this is not a zip file");
        assertThat(failing("--definitions", junk.toString()).output()).contains("junk.jar is not a readable jar");
    }

    @Test
    void aJarThatDefinesNothing() throws Exception {
        Path classes =
                UserCode.classes(dir.resolve("empty"), Map.of("com.e.Greeter", greeter("com.e", "greet")), Map.of());
        Path jar = UserCode.jar(classes, dir.resolve("empty.jar"));
        assertThat(failing("--definitions", jar.toString()).output())
                .contains("empty.jar defines nothing")
                .contains("META-INF/services/dev.tern.sdk.DefinitionsProvider");
    }

    @Test
    void aServiceFileNamingAMissingClass() throws Exception {
        Path classes = UserCode.classes(
                dir.resolve("wrong"),
                Map.of("com.w.Greeter", greeter("com.w", "greet")),
                UserCode.provides("com.w.NoSuchProvider"));
        Path jar = UserCode.jar(classes, dir.resolve("wrong.jar"));
        assertThat(failing("--definitions", jar.toString()).output())
                .contains("wrong.jar")
                .contains("com.w.NoSuchProvider");
    }

    @Test
    void aNameDefinedTwiceNamesTheNameAndBothJars() throws Exception {
        Path a = userJar("first", "com.a", "greet");
        Path b = userJar("second", "com.b", "greet");
        String out = failing("--definitions", a.toString(), "--definitions", b.toString())
                .output();
        assertThat(out)
                .contains("'greet' is defined twice")
                .contains("first.jar")
                .contains("second.jar");
    }

    @Test
    void aNameTheDemoHasToo() throws Exception {
        Path jar = userJar("clash", "com.c", "hello");
        assertThat(failing("--definitions", jar.toString(), "--demo").output()).contains("'hello' is defined twice");
    }

    record Failure(int exitCode, String output) {}

    /** Starts {@code tern server} with {@code args}, expecting it to refuse to start: exit code 2. */
    private Failure failing(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.tern.server.Main",
                "server",
                "--port",
                "0",
                "--data-dir",
                dir.resolve("data").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("TERN_DEFINITIONS");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Failure f = new Failure(process.exitValue(), output);
        assertThat(f.exitCode()).as(output).isEqualTo(2);
        assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(output).contains("tern: cannot load definitions:");
        return f;
    }

    private static List<String> definitionNames(ServerProcess server) throws Exception {
        JsonNode body = JSON.readTree(get(server, "/v1/definitions").body());
        List<String> names = new ArrayList<>();
        body.get("definitions").forEach(d -> names.add(d.get("name").asText()));
        return names;
    }

    private static JsonNode scheduleAndAwait(ServerProcess server, String body) throws Exception {
        HttpResponse<String> created = post(server, "/v1/runs", body);
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201, 202);
        String runId = JSON.readTree(created.body()).get("runId").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode run = JSON.readTree(get(server, "/v1/runs/" + runId).body());
            if (List.of("completed", "failed", "cancelled")
                            .contains(run.get("status").asText())
                    || System.nanoTime() > deadline) return run;
            Thread.sleep(50);
        }
    }

    private static HttpResponse<String> get(ServerProcess server, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(ServerProcess server, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
