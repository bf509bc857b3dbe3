package dev.tern.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code tern server} as a real child process (same classpath as the tests), killed with SIGKILL by crash tests. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;
    private final StringBuffer output;

    private ServerProcess(Process process, int port, StringBuffer output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    static ServerProcess start(Path dataDir, Map<String, String> env, String... extraArgs) throws Exception {
        ProcessBuilder builder = builder(dataDir, env, extraArgs).redirectErrorStream(true);
        Process process = builder.start();
        StringBuffer output = new StringBuffer();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (IOException ignored) {
                // the process died
            }
            port.completeExceptionally(new IllegalStateException("server exited before listening:\n" + output));
        });
        try {
            return new ServerProcess(process, port.get(60, TimeUnit.SECONDS), output);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("server did not start:\n" + output, e);
        }
    }

    /**
     * The {@code tern server} command line on port 0 and 127.0.0.1 (a data directory unless null), in an environment
     * without the caller's Tern, model and {@code OTEL_*} settings, plus {@code env}; its streams are left as the
     * caller sets them.
     */
    static ProcessBuilder builder(Path dataDir, Map<String, String> env, String... extraArgs) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Dlogback.configurationFile=logback.xml",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.tern.server.Main",
                "server",
                "--port",
                "0",
                "--host",
                "127.0.0.1"));
        if (dataDir != null) command.addAll(List.of("--data-dir", dataDir.toString()));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command);
        for (String inherited : List.of(
                "RESTACK_API_BEARER_TOKEN",
                "OPENAI_API_KEY",
                "OPENAI_BASE_URL",
                "TERN_LLM_MODEL",
                "TERN_LLM_PRICE_INPUT",
                "TERN_LLM_PRICE_OUTPUT",
                "TERN_DEFINITIONS",
                "TERN_RELEASE_CHANNEL",
                "TERN_RETENTION_DAYS",
                "TERN_LOG_FORMAT")) {
            builder.environment().remove(inherited);
        }
        // nor the caller's OpenTelemetry settings: a collector configured in the shell must not receive test spans
        builder.environment().keySet().removeIf(name -> name.startsWith("OTEL_"));
        builder.environment().putAll(env);
        return builder;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String output() {
        return output.toString();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}
