package dev.tern.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.TernEngine;
import dev.tern.engine.TernJson;
import dev.tern.server.auth.TokenRegistry;
import dev.tern.server.mcp.McpEndpoint;
import dev.tern.server.mcp.McpSettings;
import dev.tern.server.telemetry.HttpTracing;
import dev.tern.server.telemetry.ServerTelemetry;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP surface of a node: Restack-compatible and native routes, bearer auth, problem-details errors. */
public final class TernHttpServer implements AutoCloseable {
    /** The chunk Javalin copies a response body in ({@code config.http.responseBufferSize}). */
    private static final int RESPONSE_COPY_BYTES = 1024;

    private static final Logger log = LoggerFactory.getLogger(TernHttpServer.class);

    /**
     * Where to listen, the optional bearer token, the largest request body accepted, the public base URL of links the
     * server hands out (null: {@code http://<host>:<port>}), and the limits of connections: the listen backlog
     * ({@code acceptQueueSize}), how long a connection may stay silent ({@code idleTimeout}), and how long a request's
     * line and headers may take to arrive, which is also the time a body may take before its rate allowance
     * ({@code requestTimeout}). Long-polls and event streams are not bound by either timeout once their request is in.
     */
    public record Settings(
            String host,
            int port,
            String bearerToken,
            long maxBodyBytes,
            String publicUrl,
            int acceptQueueSize,
            Duration idleTimeout,
            Duration requestTimeout) {
        public static final int DEFAULT_ACCEPT_QUEUE_SIZE = 1024;
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

        public Settings {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be between 0 and 65535");
            if (maxBodyBytes < 1) throw new IllegalArgumentException("maxBodyBytes must be positive");
            publicUrl = publicUrl == null || publicUrl.isBlank() ? null : PublicUrl.validate(publicUrl);
            if (acceptQueueSize < 1 || acceptQueueSize > 65535)
                throw new IllegalArgumentException("acceptQueueSize must be between 1 and 65535");
            if (idleTimeout == null || idleTimeout.toMillis() < 1)
                throw new IllegalArgumentException("idleTimeout must be at least 1 ms");
            if (requestTimeout == null || requestTimeout.toMillis() < 1)
                throw new IllegalArgumentException("requestTimeout must be at least 1 ms");
        }

        /** The default connection limits, links on {@code http://<host>:<port>}. */
        public Settings(String host, int port, String bearerToken, long maxBodyBytes) {
            this(host, port, bearerToken, maxBodyBytes, null);
        }

        /** The default connection limits. */
        public Settings(String host, int port, String bearerToken, long maxBodyBytes, String publicUrl) {
            this(
                    host,
                    port,
                    bearerToken,
                    maxBodyBytes,
                    publicUrl,
                    DEFAULT_ACCEPT_QUEUE_SIZE,
                    DEFAULT_IDLE_TIMEOUT,
                    DEFAULT_REQUEST_TIMEOUT);
        }

        /** Links on {@code http://<host>:<port>}. */
        public Settings(
                String host,
                int port,
                String bearerToken,
                long maxBodyBytes,
                int acceptQueueSize,
                Duration idleTimeout,
                Duration requestTimeout) {
            this(host, port, bearerToken, maxBodyBytes, null, acceptQueueSize, idleTimeout, requestTimeout);
        }
    }

    /** The Prometheus text exposition format, as scrapers ask for it. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Javalin app;
    private final List<Route> routes;
    private final McpEndpoint mcp;
    /** Telemetry this server made for itself (none was given), closed with it. */
    private final ServerTelemetry ownTelemetry;

    private final TokenRegistry tokens;

    private TernHttpServer(
            Javalin app, List<Route> routes, McpEndpoint mcp, ServerTelemetry ownTelemetry, TokenRegistry tokens) {
        this.app = app;
        this.routes = routes;
        this.mcp = mcp;
        this.ownTelemetry = ownTelemetry;
        this.tokens = tokens;
    }

    /** Serves the API with no external MCP servers; MCP calls wait {@link McpSettings#DEFAULT_CALL_WAIT}. */
    public static TernHttpServer start(TernEngine engine, Settings settings) {
        return start(engine, settings, McpSettings.none());
    }

    /**
     * Serves the API, with {@code /mcp} and the {@code mcp_server} runs of {@code mcpSettings}; {@code /metrics} shows
     * only the JVM's meters (the engine's go where its config said).
     */
    public static TernHttpServer start(TernEngine engine, Settings settings, McpSettings mcpSettings) {
        return start(engine, settings, mcpSettings, null, null);
    }

    /**
     * What the server measures and traces: {@code telemetry} (whose {@link ServerTelemetry#observability()} the engine
     * should report to, so {@code /metrics} shows its meters) and the template of an agent run's {@code trace_url}
     * ({@code {traceId}} and {@code {runId}} are filled in; null: a link to the run in this server's console).
     */
    public record Telemetry(ServerTelemetry telemetry, String traceUrlTemplate) {
        public Telemetry {
            java.util.Objects.requireNonNull(telemetry, "telemetry");
            traceUrlTemplate = PublicUrl.validateTraceTemplate(traceUrlTemplate);
        }
    }

    /** Serves the API, reporting to {@code telemetry}. */
    public static TernHttpServer start(
            TernEngine engine, Settings settings, McpSettings mcpSettings, Telemetry telemetry) {
        return start(engine, settings, mcpSettings, telemetry, null);
    }

    /**
     * Serves the API, reporting to {@code telemetry} (null: only the JVM's meters on {@code /metrics}), with the
     * callers of {@code tokens} (null: the one admin token of {@link Settings#bearerToken()}, or auth off without one).
     * {@code tokens} replaces {@link Settings#bearerToken()}, which must then be absent.
     */
    public static TernHttpServer start(
            TernEngine engine, Settings settings, McpSettings mcpSettings, Telemetry telemetry, TokenRegistry tokens) {
        boolean bearer =
                settings.bearerToken() != null && !settings.bearerToken().isEmpty();
        if (tokens != null && bearer)
            throw new IllegalArgumentException("give the bearer token to the TokenRegistry, not also to Settings");
        TokenRegistry callers = tokens != null ? tokens : TokenRegistry.of(null, settings.bearerToken());
        if (telemetry != null) return serve(engine, settings, mcpSettings, telemetry, null, callers);
        ServerTelemetry own = ServerTelemetry.metricsOnly();
        return serve(engine, settings, mcpSettings, new Telemetry(own, null), own, callers);
    }

    private static TernHttpServer serve(
            TernEngine engine,
            Settings settings,
            McpSettings mcpSettings,
            Telemetry telemetry,
            ServerTelemetry own,
            TokenRegistry tokens) {
        PublicUrl publicUrl = new PublicUrl(settings.publicUrl(), telemetry.traceUrlTemplate());
        ServerTelemetry observed = telemetry.telemetry();
        int maxMessageBytes = (int) Math.min(Integer.MAX_VALUE, settings.maxBodyBytes());
        McpEndpoint mcp = McpEndpoint.create(engine, mcpSettings, maxMessageBytes);
        McpFilter mcpFilter =
                new McpFilter(tokens, mcpSettings.callWait().plus(settings.idleTimeout()), maxMessageBytes);
        Javalin app = Javalin.create(config -> {
            config.appData(PublicUrl.KEY, publicUrl);
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.http.maxRequestSize = settings.maxBodyBytes();
            // Javalin copies each response into Jetty's (pooled, 32 KiB) output buffer through a buffer of this size,
            // allocated per response; left unset it takes the output buffer's size: 32 KiB of garbage for every
            // answer, most of which are a few hundred bytes (a fifth of the heap a REST workflow allocated); 1 KiB
            // rather than 4 since 2026-12-06: 2.8 KiB less a workflow with one request, 4.2-5.2 with two
            config.http.responseBufferSize = RESPONSE_COPY_BYTES;
            config.appData(BodyReader.LIMIT, settings.maxBodyBytes());
            config.appData(BodyReader.TIMEOUT, settings.requestTimeout());
            config.jsonMapper(new JavalinJackson(TernJson.newMapper(), true));
            config.jetty.timeoutStatus = 408;
            ProblemErrorHandler errors = new ProblemErrorHandler();
            config.jetty.modifyServer(server -> server.setErrorHandler(errors));
            config.jetty.modifyServletContextHandler(context -> {
                context.setErrorHandler(errors);
                // /mcp is the MCP SDK's servlet, next to Javalin's: an exact path wins over Javalin's /*
                ServletHolder servlet = new ServletHolder("mcp", mcp.servlet());
                servlet.setAsyncSupported(true);
                context.addServlet(servlet, McpEndpoint.PATH);
                FilterHolder tracing = new FilterHolder(new HttpTracing(observed.openTelemetry()));
                tracing.setAsyncSupported(true);
                context.addFilter(tracing, "/*", EnumSet.of(DispatcherType.REQUEST));
                FilterHolder filter = new FilterHolder(mcpFilter);
                filter.setAsyncSupported(true);
                context.addFilter(filter, McpEndpoint.PATH, EnumSet.of(DispatcherType.REQUEST));
            });
            config.jetty.addConnector((server, http) -> HttpConnector.create(server, http, settings));
        });
        app.before(ctx -> Authentication.resolve(ctx, tokens));
        RouteGuards guards = new RouteGuards(new RunOrgs(engine));
        app.after(OrgScope::done);
        ErrorMapping.install(app, settings.maxBodyBytes());
        RouteRegistrar registrar = new RouteRegistrar(app, guards);
        ObjectNode openApi = OpenApiDocument.build();
        registrar.get("/health", ctx -> health(ctx, engine));
        registrar.get("/health/ready", ctx -> ready(ctx, engine));
        registrar.get("/openapi.json", ctx -> ctx.json(openApi));
        registrar.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(observed.scrape()));
        new RestackRoutes(engine).register(registrar);
        new NativeRoutes(engine, new CallRuns(engine, mcpSettings.servers())).register(registrar);
        new InteractionRoutes(engine).register(registrar);
        new ForkRoute(engine).register(registrar);
        new ScheduleRoutes(engine).register(registrar);
        new DeliveryRoutes(engine).register(registrar);
        new CompareRoutes(engine).register(registrar);
        new ChannelRoutes(engine).register(registrar);
        new ConsoleRoutes(tokens).register(app, guards);
        FirstRequests.prepare(app);
        app.start();
        publicUrl.listeningOn(settings.host(), app.port());
        return new TernHttpServer(app, registrar.routes(), mcp, own, tokens);
    }

    /**
     * {@code ok}, or 503 {@code unhealthy} with the reason while the store fails reads or writes (a full disk says so).
     */
    private static void health(Context ctx, TernEngine engine) {
        dev.tern.engine.StoreHealth health = engine.health();
        if (health.healthy()) {
            ctx.json(JsonNodeFactory.instance.objectNode().put("status", "ok"));
            return;
        }
        ctx.status(503)
                .json(JsonNodeFactory.instance
                        .objectNode()
                        .put("status", "unhealthy")
                        .put("diskFull", health.diskFull())
                        .put("reason", health.reason()));
    }

    /**
     * Whether this node can serve requests: 200 {@code ready} while its store answers reads and its writes commit, else
     * a 503 problem ({@code store-unavailable}, or {@code store-full} when the disk is full). Both carry the store's
     * state, as {@code /health} reports it.
     */
    private static void ready(Context ctx, TernEngine engine) {
        dev.tern.engine.StoreHealth health = engine.health();
        ObjectNode store = JsonNodeFactory.instance
                .objectNode()
                .put("healthy", health.healthy())
                .put("diskFull", health.diskFull());
        if (health.reason() != null) store.put("reason", health.reason());
        if (health.healthy()) {
            ctx.json(
                    JsonNodeFactory.instance.objectNode().put("status", "ready").set("store", store));
            return;
        }
        Problem problem = Problem.of(
                        503,
                        health.diskFull() ? "store-full" : "store-unavailable",
                        "Service unavailable",
                        "this node is not ready: " + health.reason())
                .withInstance(ctx.path());
        ObjectNode body = (ObjectNode) TernJson.tree(problem);
        body.set("store", store);
        ctx.status(503).contentType(Problem.CONTENT_TYPE).result(TernJson.write(body));
    }

    /** The Javalin app serving the routes (for tests in this package). */
    Javalin javalin() {
        return app;
    }

    public int port() {
        return app.port();
    }

    public List<Route> routes() {
        return routes;
    }

    /** The tokens this server accepts, with each organisation's limits. */
    public TokenRegistry tokens() {
        return tokens;
    }

    @Override
    public void close() {
        mcp.close();
        app.stop();
        if (ownTelemetry != null) ownTelemetry.close();
    }
}
