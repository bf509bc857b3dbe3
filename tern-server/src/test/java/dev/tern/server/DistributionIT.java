package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user gets it: {@code target/tern-<version>.tar.gz} unpacked into a temporary directory and
 * started with its own {@code bin/tern}, with no Maven and no checkout on its class path; it serves the demo, and a
 * user's jar given with {@code --definitions}; a clean stop leaves a shared archive of its classes that the next start
 * maps.
 */
class DistributionIT {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void theTarballRunsFromAnywhere() throws Exception {
        Path tarball;
        try (var files = Files.list(Path.of("target"))) {
            tarball = files.filter(p -> p.getFileName().toString().matches("tern-.+\\.tar\\.gz"))
                    .findFirst()
                    .orElseThrow();
        }
        Process untar = new ProcessBuilder(
                        "tar", "xzf", tarball.toAbsolutePath().toString(), "-C", tmp.toString())
                .inheritIO()
                .start();
        assertThat(untar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(untar.exitValue()).isZero();
        Path home;
        try (var dirs = Files.list(tmp)) {
            home = dirs.filter(p -> p.getFileName().toString().startsWith("tern-"))
                    .findFirst()
                    .orElseThrow();
        }
        assertThat(home.resolve("README.md")).exists();
        assertThat(Files.isExecutable(home.resolve("bin/tern"))).isTrue();

        Path work = Files.createDirectories(tmp.resolve("elsewhere"));
        Path classes = UserCode.classes(
                tmp.resolve("user-classes"),
                Map.of("com.dist.Greeter", DefinitionsFromJarTest.greeter("com.dist", "greet")),
                UserCode.provides("com.dist.Greeter"));
        Path jar = UserCode.jar(classes, tmp.resolve("my-agents.jar"));
        for (List<String> args : List.of(List.<String>of(), List.of("--definitions", jar.toString()))) {
            Process server = start(home, work, "data-" + args.size(), args, Map.of());
            try {
                int port = awaitPort(server);
                assertThat(health(port)).isEqualTo(200);
                String definitions = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/definitions"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertThat(definitions).contains(args.isEmpty() ? "\"hello\"" : "\"greet\"");
            } finally {
                server.destroyForcibly();
                server.waitFor(30, TimeUnit.SECONDS);
            }
        }

        // a server that stops cleanly leaves the classes it loaded archived in lib/, and the next start maps them:
        // with -Xshare:on the JVM refuses to start when it cannot. Another command run first keeps an archive of its
        // own, which would otherwise hold only its few classes and never be written again for the server
        Path archive = home.resolve("lib/tern-server.jsa");
        assertThat(archive).doesNotExist(); // killed servers write none
        Process version = new ProcessBuilder(home.resolve("bin/tern").toString(), "--version")
                .redirectErrorStream(true)
                .start();
        assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(version.exitValue()).isZero();
        assertThat(home.resolve("lib/tern-cli.jsa")).isNotEmptyFile();
        assertThat(archive).doesNotExist();
        Process first = start(home, work, "data-cds", List.of(), Map.of());
        assertThat(health(awaitPort(first))).isEqualTo(200);
        first.destroy();
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(archive).isNotEmptyFile();
        assertThat(Files.size(archive))
                .as("the server's archive holds more than the version command's")
                .isGreaterThan(Files.size(home.resolve("lib/tern-cli.jsa")));
        assertMapsArchive(home, work);

        // a jar newer than the archive (a version unpacked over this one): the JVM would keep the stale archive,
        // unusable, for good; the launcher deletes it, and the next clean stop writes it anew
        Path engineJar;
        try (var jars = Files.list(home.resolve("lib"))) {
            engineJar = jars.filter(p -> p.getFileName().toString().startsWith("tern-engine-"))
                    .findFirst()
                    .orElseThrow();
        }
        Files.setLastModifiedTime(
                engineJar,
                FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() + 10_000));
        Process afterUpgrade = start(home, work, "data-cds", List.of(), Map.of());
        assertThat(health(awaitPort(afterUpgrade))).isEqualTo(200);
        afterUpgrade.destroy();
        assertThat(afterUpgrade.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertMapsArchive(home, work);
    }

    /** A server started with {@code -Xshare:on}, which refuses to start unless its archive maps, answers. */
    private void assertMapsArchive(Path home, Path work) throws Exception {
        Process mapped = start(home, work, "data-cds", List.of(), Map.of("TERN_JAVA_OPTS", "-Xshare:on"));
        try {
            assertThat(health(awaitPort(mapped))).isEqualTo(200);
        } finally {
            mapped.destroyForcibly();
            mapped.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    private int health(int port) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    /** {@code bin/tern server} on a free port, its data in {@code work/dataDir}. */
    private static Process start(Path home, Path work, String dataDir, List<String> args, Map<String, String> env)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                home.resolve("bin/tern").toString(),
                "server",
                "--port",
                "0",
                "--data-dir",
                work.resolve(dataDir).toString());
        builder.command().addAll(args);
        builder.directory(work.toFile()).redirectErrorStream(true);
        builder.environment().remove("CLASSPATH");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int awaitPort(Process server) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuffer output = new StringBuffer();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
            port.completeExceptionally(new IllegalStateException("the server exited before listening:\n" + output));
        });
        return port.get(60, TimeUnit.SECONDS);
    }
}
