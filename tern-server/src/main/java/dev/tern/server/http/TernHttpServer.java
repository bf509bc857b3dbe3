package dev.tern.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.InvalidInputException;
import dev.tern.engine.ModelNotConfiguredException;
import dev.tern.engine.InteractionNotFoundException;
import dev.tern.engine.RunNotFoundException;
import dev.tern.engine.RunStateException;
import dev.tern.engine.ScheduleExistsException;
import dev.tern.engine.ScheduleNotFoundException;
import dev.tern.engine.TernEngine;
import dev.tern.engine.UnknownDefinitionException;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP surface of a node: Restack-compatible and native routes, bearer auth, problem-details errors. */
public final class TernHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TernHttpServer.class);

  /**
   * Where to listen, the optional bearer token, the largest request body accepted, and the public
   * base URL of links the server hands out (null: {@code http://<host>:<port>}).
   */
  public record Settings(String host, int port, String bearerToken, long maxBodyBytes, String publicUrl) {
    public Settings {
      if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be between 0 and 65535");
      if (maxBodyBytes < 1) throw new IllegalArgumentException("maxBodyBytes must be positive");
      publicUrl = publicUrl == null || publicUrl.isBlank() ? null : PublicUrl.validate(publicUrl);
    }

    public Settings(String host, int port, String bearerToken, long maxBodyBytes) {
      this(host, port, bearerToken, maxBodyBytes, null);
    }
  }

  private final Javalin app;
  private final List<Route> routes;

  private TernHttpServer(Javalin app, List<Route> routes) {
    this.app = app;
    this.routes = routes;
  }

  public static TernHttpServer start(TernEngine engine, Settings settings) {
    PublicUrl publicUrl = new PublicUrl(settings.publicUrl());
    Javalin app = Javalin.create(config -> {
      config.appData(PublicUrl.KEY, publicUrl);
      config.useVirtualThreads = true;
      config.showJavalinBanner = false;
      config.http.maxRequestSize = settings.maxBodyBytes();
      config.jsonMapper(new JavalinJackson(Json.MAPPER, true));
    });
    BearerAuth auth = settings.bearerToken() == null || settings.bearerToken().isEmpty() ? null : new BearerAuth(settings.bearerToken());
    app.before(ctx -> {
      if (auth != null && !ctx.path().equals("/health")) auth.check(ctx);
    });
    installErrorHandling(app);
    RouteRegistrar registrar = new RouteRegistrar(app);
    ObjectNode openApi = OpenApiDocument.build();
    registrar.get("/health", ctx -> health(ctx, engine));
    registrar.get("/openapi.json", ctx -> ctx.json(openApi));
    new RestackRoutes(engine).register(registrar);
    new NativeRoutes(engine).register(registrar);
    new InteractionRoutes(engine).register(registrar);
    new ScheduleRoutes(engine).register(registrar);
    new DeliveryRoutes(engine).register(registrar);
    app.start(settings.host(), settings.port());
    publicUrl.listeningOn(settings.host(), app.port());
    return new TernHttpServer(app, registrar.routes());
  }

  /** {@code ok}, or 503 {@code unhealthy} with the reason while the store fails reads or writes (a full disk says so). */
  private static void health(Context ctx, TernEngine engine) {
    dev.tern.engine.StoreHealth health = engine.health();
    if (health.healthy()) {
      ctx.json(Json.MAPPER.createObjectNode().put("status", "ok"));
      return;
    }
    ctx.status(503).json(Json.MAPPER.createObjectNode().put("status", "unhealthy").put("diskFull", health.diskFull())
        .put("reason", health.reason()));
  }

  private static void installErrorHandling(Javalin app) {
    app.exception(ApiException.class, (e, ctx) -> problem(ctx, e.problem()));
    app.exception(UnknownDefinitionException.class, (e, ctx) -> problem(ctx, Problem.of(404, "unknown-definition", "Not found", e.getMessage())));
    app.exception(RunNotFoundException.class, (e, ctx) -> problem(ctx, Problem.of(404, "run-not-found", "Not found", e.getMessage())));
    app.exception(InteractionNotFoundException.class,
        (e, ctx) -> problem(ctx, Problem.of(404, "interaction-not-found", "Not found", e.getMessage())));
    app.exception(ScheduleNotFoundException.class,
        (e, ctx) -> problem(ctx, Problem.of(404, "schedule-not-found", "Not found", e.getMessage())));
    app.exception(ScheduleExistsException.class, (e, ctx) -> problem(ctx, Problem.of(409, "schedule-exists", "Conflict", e.getMessage())));
    app.exception(RunStateException.class, (e, ctx) -> problem(ctx, Problem.of(409, "run-state", "Conflict", e.getMessage())));
    app.exception(InvalidInputException.class, (e, ctx) ->
        problem(ctx, Problem.of(400, "invalid-input", "Invalid input", e.getMessage()).withErrors(e.violations())));
    app.exception(ModelNotConfiguredException.class,
        (e, ctx) -> problem(ctx, Problem.of(503, "model-not-configured", "No language model configured", e.getMessage())));
    app.exception(StoreException.class, (e, ctx) -> {
      log.warn("store unavailable on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
      if (e.diskFull()) {
        problem(ctx, Problem.of(503, "store-full", "Service unavailable",
            "the disk holding the database is full; nothing was stored. Retry once space has been freed on the server"));
      } else {
        problem(ctx, Problem.of(503, "store-unavailable", "Service unavailable", "the database is unavailable; retry later"));
      }
    });
    app.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, Problem.of(e.getStatus(), slug(e.getStatus()), title(e.getStatus()), e.getMessage())));
    app.exception(Exception.class, (e, ctx) -> {
      String errorId = UUID.randomUUID().toString();
      log.error("unexpected error {} on {} {}", errorId, ctx.method(), ctx.path(), e);
      problem(ctx, Problem.of(500, "internal", "Internal server error", "an unexpected error occurred; quote errorId when reporting it")
          .withErrorId(errorId));
    });
    app.error(404, ctx -> {
      if (!Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
        problem(ctx, Problem.of(404, "not-found", "Not found", "no route for " + ctx.method() + " " + ctx.path()));
      }
    });
    app.error(405, ctx -> {
      if (!Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
        problem(ctx, Problem.of(405, "method-not-allowed", "Method not allowed", ctx.method() + " is not allowed on " + ctx.path()));
      }
    });
  }

  private static void problem(Context ctx, Problem problem) {
    ctx.status(problem.status());
    ctx.result(Json.write(problem.withInstance(ctx.path())));
    ctx.contentType(Problem.CONTENT_TYPE);
  }

  private static String slug(int status) {
    return switch (status) {
      case 413 -> "payload-too-large";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      default -> "http-" + status;
    };
  }

  private static String title(int status) {
    return switch (status) {
      case 413 -> "Payload too large";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      default -> "HTTP " + status;
    };
  }

  public int port() {
    return app.port();
  }

  public List<Route> routes() {
    return routes;
  }

  @Override
  public void close() {
    app.stop();
  }
}
