package dev.tern.server.cli;

import dev.tern.agents.mcp.McpServerConfig;
import dev.tern.agents.mcp.McpServers;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.TernEngine;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.ModelEndpoint;
import dev.tern.server.auth.TokenRegistry;
import dev.tern.server.auth.TokensFileException;
import dev.tern.server.http.TernHttpServer;
import dev.tern.server.logging.LogFormat;
import dev.tern.server.mcp.McpSettings;
import dev.tern.server.telemetry.ServerTelemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tern server}: a node serving the user's definitions (or the demo's), on SQLite or PostgreSQL. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "Start a Tern server with your agents and workflows (--definitions), or the demo ones.")
final class ServerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

    @Option(
            names = "--port",
            defaultValue = "6233",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Address to bind; 0.0.0.0 for all interfaces (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--public-url",
            defaultValue = "${env:TERN_PUBLIC_URL}",
            description =
                    "Base URL clients reach this server at, for links in responses such as an agent run's trace_url "
                            + "(env TERN_PUBLIC_URL; default: http://<host>:<port>). Request headers never set it.")
    String publicUrl;

    @Option(
            names = "--trace-url",
            defaultValue = "${env:TERN_TRACE_URL}",
            paramLabel = "TEMPLATE",
            description = "Where an agent run's trace_url points: a URL template with {traceId} (and optionally "
                    + "{runId}), e.g. http://jaeger:16686/trace/{traceId} (env TERN_TRACE_URL; default: the run's "
                    + "page in this server's console). Traces are exported as the standard OTEL_* variables say.")
    String traceUrl;

    @Option(
            names = "--definitions",
            paramLabel = "PATH",
            description = "A jar or classes directory with your agents and workflows, registered as a "
                    + "dev.tern.sdk.DefinitionsProvider "
                    + "service; repeatable (env TERN_DEFINITIONS, paths separated by "
                    + "'${sys:path.separator}'). Without it the demo's are served.")
    List<Path> definitions = new ArrayList<>();

    @Option(
            names = "--demo",
            description =
                    "Serve the demo agents and workflows too (they are served alone when no --definitions is given).")
    boolean demo;

    @Option(
            names = "--data-dir",
            defaultValue = "tern-data",
            description = "Directory of the embedded SQLite store (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--database-url",
            defaultValue = "${env:TERN_DATABASE_URL}",
            description = "jdbc:postgresql://… URL: use PostgreSQL instead of SQLite (env TERN_DATABASE_URL).")
    String databaseUrl;

    @Option(names = "--node-id", description = "Name of this node (default: host name plus a random suffix).")
    String nodeId;

    @Option(
            names = "--release-channel",
            paramLabel = "NAME",
            defaultValue = "${env:TERN_RELEASE_CHANNEL}",
            description = "Release channel of runs scheduled through this node without one (env TERN_RELEASE_CHANNEL; "
                    + "default: default). A channel names the revision of each definition new runs start on.")
    String releaseChannel;

    @Option(
            names = "--tokens-file",
            paramLabel = "FILE",
            defaultValue = "${env:TERN_TOKENS_FILE}",
            description = "JSON file of bearer tokens, each with an organisation and a role (admin, member or viewer); "
                    + "re-read when it changes and on SIGHUP (env TERN_TOKENS_FILE). RESTACK_API_BEARER_TOKEN, if set, "
                    + "is one more: an admin of org default.")
    Path tokensFile;

    @Option(
            names = "--max-body-bytes",
            defaultValue = "10485760",
            description = "Largest request body accepted (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(
            names = "--accept-queue-size",
            defaultValue = "" + TernHttpServer.Settings.DEFAULT_ACCEPT_QUEUE_SIZE,
            description = "Listen backlog: connections waiting to be accepted (default: ${DEFAULT-VALUE}).")
    int acceptQueueSize;

    @Option(
            names = "--idle-timeout-seconds",
            defaultValue = "30",
            description = "A connection silent this long is closed; long-polls and event streams are exempt (default: "
                    + "${DEFAULT-VALUE}).")
    long idleTimeoutSeconds;

    @Option(
            names = "--request-timeout-seconds",
            defaultValue = "30",
            description =
                    "Time for a request's line and headers to arrive, and for its body, plus a second per KiB received "
                            + "(default: ${DEFAULT-VALUE}).")
    long requestTimeoutSeconds;

    @Option(
            names = "--max-active-runs",
            defaultValue = "10000",
            description = "Runs executing at once on this node (default: ${DEFAULT-VALUE}).")
    int maxActiveRuns;

    @Option(
            names = "--retention-days",
            paramLabel = "N",
            defaultValue = "${env:TERN_RETENTION_DAYS}",
            description = "Delete finished runs (completed, failed, cancelled), with all their steps, history and "
                    + "deliveries, N days after they finished, in small batches every minute (env TERN_RETENTION_DAYS; "
                    + "default: keep every run).")
    Integer retentionDays;

    @Option(
            names = "--lease-seconds",
            description = "How long a run stays owned without keep-alive before another node takes it over "
                    + "(default: 30).")
    Integer leaseSeconds;

    @Option(
            names = "--poll-ms",
            description = "Fallback scan interval for due work, in ms (default: 1000 on SQLite, 500 on PostgreSQL).")
    Integer pollMillis;

    @Option(
            names = "--continue-as-new-after",
            description = "Steps after which a long-lived agent continues as a new run, keeping its "
                    + "state and agent id, so replay stays short; 0 = never (default: "
                    + EngineConfig.DEFAULT_CONTINUE_AS_NEW_AFTER_STEPS + ").")
    Integer continueAsNewAfter;

    @Option(
            names = "--webhook-secret",
            defaultValue = "${env:TERN_WEBHOOK_SECRET}",
            description =
                    "Secret that signs webhook deliveries (Tern-Signature header; env TERN_WEBHOOK_SECRET). Unsigned "
                            + "if absent.")
    String webhookSecret;

    @Option(
            names = "--llm-base-url",
            defaultValue = "${env:OPENAI_BASE_URL}",
            description =
                    "Base URL of an OpenAI-compatible model server, e.g. http://127.0.0.1:11434/v1 for Ollama (env "
                            + "OPENAI_BASE_URL; "
                            + "default: OpenAI's, when an API key is given).")
    String llmBaseUrl;

    @Option(
            names = "--llm-api-key",
            defaultValue = "${env:OPENAI_API_KEY}",
            description = "API key of the model server (env OPENAI_API_KEY). Never logged or shown.")
    String llmApiKey;

    @Option(
            names = "--llm-model",
            defaultValue = "${env:TERN_LLM_MODEL}",
            description = "Model the agents call (env TERN_LLM_MODEL; default: " + ModelEndpoint.DEFAULT_MODEL + ").")
    String llmModel;

    @Option(
            names = "--llm-price-input",
            defaultValue = "${env:TERN_LLM_PRICE_INPUT}",
            description = "USD per million input tokens of that model (env TERN_LLM_PRICE_INPUT; default: the built-in "
                    + "table of well-known models).")
    String llmPriceInput;

    @Option(
            names = "--llm-price-output",
            defaultValue = "${env:TERN_LLM_PRICE_OUTPUT}",
            description =
                    "USD per million output tokens of that model (env TERN_LLM_PRICE_OUTPUT; default: the built-in "
                            + "table).")
    String llmPriceOutput;

    @Option(
            names = "--mcp-server",
            paramLabel = "NAME=URL",
            description =
                    "An external MCP server Tern may call, Streamable HTTP (NAME=http://…/mcp) or a local process "
                            + "(NAME=stdio:command args); "
                            + "repeatable (env TERN_MCP_SERVERS, comma-separated).")
    List<String> mcpServers = new ArrayList<>();

    @Option(
            names = "--mcp-call-wait-seconds",
            defaultValue = "60",
            description = "How long a tools/call on /mcp waits for its run before it answers with the run id to follow "
                    + "(default: ${DEFAULT-VALUE}).")
    long mcpCallWaitSeconds;

    @Option(
            names = "--log-format",
            paramLabel = "text|json",
            defaultValue = "${env:TERN_LOG_FORMAT}",
            description = "Log lines as text, or as one JSON object per line on stdout (time, level, logger, message, "
                    + "thread, runId, traceId, spanId, error) (env TERN_LOG_FORMAT; default: text).")
    String logFormat;

    @Override
    public Integer call() throws Exception {
        LogFormat format;
        try {
            format = LogFormat.parse(logFormat);
        } catch (IllegalArgumentException e) {
            throw CliException.badArgument("--log-format (env TERN_LOG_FORMAT) " + e.getMessage());
        }
        try {
            format.apply(); // before the server logs anything
        } catch (IllegalStateException e) {
            throw new CliException(1, "--log-format " + logFormat.strip() + ": " + e.getMessage());
        }
        if (port < 0 || port > 65535) throw CliException.badArgument("--port must be between 0 and 65535");
        if (maxBodyBytes < 1) throw CliException.badArgument("--max-body-bytes must be positive");
        if (maxActiveRuns < 1) throw CliException.badArgument("--max-active-runs must be positive");
        if (acceptQueueSize < 1 || acceptQueueSize > 65535)
            throw CliException.badArgument("--accept-queue-size must be between 1 and 65535");
        if (idleTimeoutSeconds < 1) throw CliException.badArgument("--idle-timeout-seconds must be positive");
        if (requestTimeoutSeconds < 1) throw CliException.badArgument("--request-timeout-seconds must be positive");
        if (mcpCallWaitSeconds < 0) throw CliException.badArgument("--mcp-call-wait-seconds must be 0 or more");
        TokenRegistry tokens;
        try {
            tokens = TokenRegistry.of(tokensFile, System.getenv(TokenRegistry.ENV_TOKEN));
        } catch (TokensFileException e) {
            throw CliException.badArgument("--tokens-file (env TERN_TOKENS_FILE): " + e.getMessage());
        }
        McpServers external;
        try {
            List<String> specs = new ArrayList<>(mcpServers);
            String env = System.getenv("TERN_MCP_SERVERS");
            if (specs.isEmpty() && env != null && !env.isBlank()) specs.add(env);
            external = new McpServers(McpServerConfig.parseAll(specs));
        } catch (IllegalArgumentException e) {
            throw CliException.badArgument("--mcp-server: " + e.getMessage());
        }
        EngineConfig config;
        TernHttpServer.Settings settings;
        TernHttpServer.Telemetry telemetry;
        try {
            telemetry = new TernHttpServer.Telemetry(ServerTelemetry.fromEnvironment(System.getenv()), traceUrl);
            settings = new TernHttpServer.Settings(
                    host,
                    port,
                    null, // RESTACK_API_BEARER_TOKEN is one of the tokens
                    maxBodyBytes,
                    publicUrl,
                    acceptQueueSize,
                    Duration.ofSeconds(idleTimeoutSeconds),
                    Duration.ofSeconds(requestTimeoutSeconds));
            config = databaseUrl == null || databaseUrl.isBlank()
                    ? EngineConfig.embedded(dataDir)
                    : EngineConfig.postgres(databaseUrl);
            if (nodeId != null) config = config.withNodeId(nodeId);
            config = config.withReleaseChannel(releaseChannel);
            config = config.withQuotas(tokens::quota); // re-read with the tokens file, enforced by the store
            config = config.withMaxActiveRuns(maxActiveRuns);
            if (leaseSeconds != null) config = config.withLeaseDuration(java.time.Duration.ofSeconds(leaseSeconds));
            if (pollMillis != null) config = config.withPollInterval(java.time.Duration.ofMillis(pollMillis));
            if (continueAsNewAfter != null) config = config.withContinueAsNewAfterSteps(continueAsNewAfter);
            if (retentionDays != null && retentionDays < 1)
                throw CliException.badArgument("--retention-days (env TERN_RETENTION_DAYS) must be at least 1");
            if (retentionDays != null) config = config.withRetention(Duration.ofDays(retentionDays));
            config = config.withWebhookSecret(webhookSecret);
            config = config.withModel(ModelEndpoint.configured(
                    llmBaseUrl,
                    llmApiKey,
                    llmModel,
                    price(llmPriceInput, "--llm-price-input"),
                    price(llmPriceOutput, "--llm-price-output")));
            config = config.withObservability(telemetry.telemetry().observability());
        } catch (IllegalArgumentException e) {
            throw CliException.badArgument(e.getMessage());
        } catch (io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException e) {
            throw CliException.badArgument("OTEL_* configuration: " + rootMessage(e));
        }
        Definitions served = servedDefinitions();
        TernEngine engine;
        try {
            engine = TernEngine.start(config, served, external.functions());
        } catch (IllegalStateException e) {
            throw new CliException(1, e.getMessage());
        } catch (RuntimeException e) {
            throw new CliException(1, "cannot open the store: " + rootMessage(e));
        }
        TernHttpServer http = TernHttpServer.start(
                engine, settings, new McpSettings(external, Duration.ofSeconds(mcpCallWaitSeconds)), telemetry, tokens);
        if (tokens.file() != null) HangupReload.install(tokens);
        log.info(
                "Tern listening on http://{}:{} (store: {}, node: {}, auth: {}, webhooks: {}, model: {})",
                host,
                http.port(),
                engine.storeDescription(),
                engine.nodeId(),
                tokens.describe(),
                config.webhooks().secret() == null ? "unsigned" : "signed",
                config.model() == null
                        ? "none (set OPENAI_API_KEY or OPENAI_BASE_URL)"
                        : config.model().model() + " at " + config.model().baseUrl());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            http.close();
                            engine.close();
                            external.close();
                            telemetry.telemetry().close(); // exports the spans still buffered
                            stopped.countDown();
                        },
                        "tern-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * The user's definitions from --definitions / TERN_DEFINITIONS, with the demo's when asked or when none are given.
     */
    private Definitions servedDefinitions() {
        List<Path> paths = new ArrayList<>(definitions);
        String env = System.getenv("TERN_DEFINITIONS");
        if (paths.isEmpty() && env != null && !env.isBlank()) {
            for (String part : env.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))) {
                if (!part.isBlank()) paths.add(Path.of(part.strip()));
            }
        }
        return DefinitionsLoader.served(paths, demo);
    }

    private static Double price(String text, String flag) {
        if (text == null || text.isBlank()) return null;
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    flag + " must be a number of USD per million tokens, was '" + text + "'");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
