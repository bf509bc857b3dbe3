package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.InteractionRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.StepKind;
import dev.tern.engine.WebhookDelivery;
import dev.tern.sdk.Budget;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.StepType;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openapitools.codegen.CodegenConstants;
import org.openapitools.codegen.DefaultGenerator;
import org.openapitools.codegen.config.CodegenConfigurator;

/**
 * {@code /openapi.json} as client generators read it. One test generates a Java client from the document a real server
 * serves (openapi-generator, generator {@code java}, library {@code native}: java.net.http and Jackson), compiles it,
 * and reads every kind of run with it; every body it read must come back whole when the generated model is written out
 * again, and must validate against the operation's response schema with no undeclared member. The other checks the
 * document's structure: no {@code oneOf} one value can match twice, enums equal to what the code emits, the error
 * responses every route can give, the seed kept as published, and the spec views embedded.
 */
class GeneratedClientTest {
    private static final String PACKAGE = "tern.client";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    @TempDir
    Path dir;

    @Test
    void aJavaClientGeneratedFromTheServedDocumentReadsEveryKindOfRun() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"), null)) {
            Path spec = dir.resolve("openapi.json");
            Files.writeString(spec, server.get("/openapi.json").raw());
            OpenApiStructure openApi = new OpenApiStructure(JSON.readTree(spec.toFile()));

            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long startedCpu = cpu.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            Path sources = generate(spec, dir.resolve("client"));
            long generated = System.nanoTime();
            // the generated client needs exactly Jackson (with java.time) and jakarta.annotation-api
            Path classes = compile(
                    sources,
                    dir.resolve("client-classes"),
                    jarsOf(
                            ObjectMapper.class,
                            JsonFactory.class,
                            JsonProperty.class,
                            JavaTimeModule.class,
                            jakarta.annotation.Generated.class));
            long compiled = System.nanoTime();
            long compiledCpu = cpu.getCurrentThreadCpuTime();
            Path scenario = dir.resolve("scenario/tern/client/scenario/Scenario.java");
            Files.createDirectories(scenario.getParent());
            Files.writeString(scenario, SCENARIO);
            List<Path> scenarioClasspath = new ArrayList<>(List.of(classes));
            scenarioClasspath.addAll(jarsOf(
                    ObjectMapper.class, JsonFactory.class, JsonProperty.class, org.assertj.core.api.Assertions.class));
            compile(scenario.getParent(), classes, scenarioClasspath);
            System.out.printf(
                    "generated %d sources in %d ms, compiled them in %d ms (%d ms of CPU for both)%n",
                    countSources(sources),
                    (generated - started) / 1_000_000,
                    (compiled - generated) / 1_000_000,
                    (compiledCpu - startedCpu) / 1_000_000);

            try (URLClassLoader loader = new URLClassLoader(
                    new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
                @SuppressWarnings("unchecked")
                Function<String, Map<String, Object>> run =
                        (Function<String, Map<String, Object>>) loader.loadClass(PACKAGE + ".scenario.Scenario")
                                .getDeclaredConstructor()
                                .newInstance();
                Map<String, Object> read = run.apply(server.baseUrl());
                Object apiClient = loader.loadClass(PACKAGE + ".ApiClient")
                        .getConstructor()
                        .newInstance();
                ObjectMapper clientMapper = (ObjectMapper)
                        apiClient.getClass().getMethod("getObjectMapper").invoke(apiClient);

                assertThat(read).hasSizeGreaterThanOrEqualTo(15);
                SoftAssertions softly = new SoftAssertions();
                for (Map.Entry<String, Object> e : read.entrySet()) {
                    String path = e.getKey();
                    TestServer.Response sent = server.get(path);
                    assertThat(sent.status()).as("GET %s: %s", path, sent.raw()).isEqualTo(200);
                    String template = openApi.template(path);
                    JsonNode schema = openApi.responseSchema("GET", template);
                    softly.assertThat(schemaErrors(openApi, schema, sent.body()))
                            .as("GET %s against the document (%s)", path, template)
                            .isEmpty();
                    softly.assertThat(openApi.undeclared(schema, sent.body(), "$"))
                            .as("members of GET %s the document does not declare", path)
                            .isEmpty();
                    JsonNode readBack = clientMapper.valueToTree(e.getValue());
                    softly.assertThat(OpenApiStructure.differences(sent.body(), readBack, "$"))
                            .as(
                                    "GET %s as the generated %s read it",
                                    path, e.getValue().getClass().getSimpleName())
                            .isEmpty();
                }
                softly.assertAll();
            }
        }
    }

    @Test
    void theServedDocumentIsSoundForClientGenerators() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"), null)) {
            OpenApiStructure openApi =
                    new OpenApiStructure(server.get("/openapi.json").body());
            JsonNode doc = openApi.doc();
            JsonNode schemas = doc.get("components").get("schemas");

            // every $ref resolves, operation ids are unique, no oneOf can match one value twice
            List<String> problems = new ArrayList<>();
            Set<String> operationIds = new LinkedHashSet<>();
            openApi.operations().forEach((name, op) -> {
                if (!operationIds.add(op.path("operationId").asText(name)))
                    problems.add(name + ": operationId " + op.get("operationId") + " twice");
            });
            refs(doc, problems, openApi);
            openApi.eachSchema((pointer, schema) -> {
                if (schema.has("oneOf")) {
                    String overlap = openApi.overlap(pointer, schema);
                    if (overlap != null) problems.add(overlap);
                }
                if (schema.has("anyOf")) problems.add(pointer + ": anyOf (generated clients match every branch)");
            });
            assertThat(problems).isEmpty();

            // enums are what the code emits
            assertThat(enumOf(schemas.get("RunStatus")))
                    .containsExactlyElementsOf(wire(RunStatus.values(), RunStatus::wireName));
            assertThat(enumOf(schemas.get("StepKind")))
                    .containsExactlyElementsOf(wire(StepKind.values(), StepKind::wireName));
            List<String> stepTypes = new ArrayList<>(wire(StepType.values(), StepType::wireName));
            wire(StepKind.values(), StepKind::wireName).stream()
                    .filter(k -> !stepTypes.contains(k))
                    .forEach(stepTypes::add);
            assertThat(enumOf(schemas.get("StepType")))
                    .as("a declared StepType, else the StepKind")
                    .containsExactlyInAnyOrderElementsOf(stepTypes);
            assertThat(enumOf(schemas.get("HistoryEventType")))
                    .containsExactlyElementsOf(wire(HistoryEventType.values(), HistoryEventType::wireName));
            List<String> runKinds =
                    new ArrayList<>(wire(RunnableDefinition.Kind.values(), RunnableDefinition.Kind::wireName));
            runKinds.addAll(wire(dev.tern.engine.CallKind.values(), dev.tern.engine.CallKind::wireName));
            assertThat(enumOf(schemas.get("RunKind"))).containsExactlyInAnyOrderElementsOf(runKinds);
            List<String> onExceeded = wire(Budget.OnExceeded.values(), Budget.OnExceeded::wireName);
            for (String at : List.of(
                    "/RunBudget/properties/onExceeded",
                    "/ScheduleRequest/properties/onBudgetExceeded",
                    "/AgentRunRequest/properties/onBudgetExceeded",
                    "/WorkflowRunRequest/properties/onBudgetExceeded")) {
                assertThat(enumOf(schemas.at(at))).as(at).containsExactlyElementsOf(onExceeded);
            }
            for (String at : List.of(
                    "/WebhookPayload/properties/status",
                    "/WebhookPayload/properties/previousStatus",
                    "/WebhookDelivery/properties/status",
                    "/WebhookDelivery/properties/previousStatus",
                    "/AgentRun/properties/status")) {
                assertThat(enumOf(openApi.resolve(schemas.at(at))))
                        .as(at)
                        .containsExactlyElementsOf(wire(RunStatus.values(), RunStatus::wireName));
            }
            assertThat(enumOf(schemas.at("/WebhookDelivery/properties/state")))
                    .containsExactlyInAnyOrder(
                            WebhookDelivery.PENDING, WebhookDelivery.DELIVERED, WebhookDelivery.FAILED);
            // 'closed' is written by SQL when the run ends with the question open
            assertThat(enumOf(schemas.at("/Interaction/properties/status")))
                    .containsExactlyInAnyOrder(
                            InteractionRecord.OPEN,
                            InteractionRecord.ANSWERED,
                            InteractionRecord.TIMED_OUT.replace('_', '-'),
                            "closed");

            // the errors each route can answer
            // (/metrics reads the store for its gauges, which show NaN when it does not answer: never a 503)
            Set<String> storeFree = Set.of(
                    "GET /openapi.json", "GET /v1/definitions", "GET /health", "GET /console/session", "GET /metrics");
            Set<String> scheduling =
                    Set.of("POST /v1/runs", "POST /api/agents/{agentName}", "POST /api/workflows/{workflowName}");
            // open to anyone (no 401); /health answers its 503 in Restack's shape, not as a problem
            Set<String> open = Set.of("GET /health", "GET /health/ready", "GET /console/session");
            openApi.operations().forEach((name, op) -> {
                JsonNode responses = op.get("responses");
                if (!open.contains(name))
                    assertThat(responses.has("401")).as("%s declares 401", name).isTrue();
                if (!name.equals("GET /health")) {
                    responses.fields().forEachRemaining(r -> {
                        if (r.getKey().matches("[45]\\d\\d")) {
                            JsonNode schema =
                                    openApi.resolve(r.getValue()).at("/content/application~1problem+json/schema");
                            // a problem, or a problem with members of its own (allOf: Problem first)
                            if (schema.has("$ref")
                                    && !schema.get("$ref").asText().endsWith("/Problem"))
                                schema = openApi.resolve(schema).path("allOf").path(0);
                            assertThat(schema.path("$ref").asText())
                                    .as("%s %s is a problem document", name, r.getKey())
                                    .isEqualTo("#/components/schemas/Problem");
                        }
                    });
                }
                if (!storeFree.contains(name))
                    assertThat(responses.has("503"))
                            .as("%s declares 503 (store unavailable)", name)
                            .isTrue();
                if (op.has("requestBody")) {
                    assertThat(responses.has("400"))
                            .as("%s declares 400 (malformed body)", name)
                            .isTrue();
                    assertThat(responses.has("413"))
                            .as("%s declares 413 (body too large)", name)
                            .isTrue();
                }
                boolean query = false;
                for (JsonNode p : op.path("parameters"))
                    query |= openApi.resolve(p).path("in").asText().equals("query");
                if (query)
                    assertThat(responses.has("400"))
                            .as("%s declares 400 (bad query parameter)", name)
                            .isTrue();
                if (scheduling.contains(name)) {
                    assertThat(openApi.resolve(responses.get("503"))
                                    .get("description")
                                    .asText())
                            .as(name)
                            .contains("model-not-configured", "store-unavailable");
                    List<String> headers = new ArrayList<>();
                    op.get("parameters")
                            .forEach(p ->
                                    headers.add(openApi.resolve(p).get("in").asText() + ":"
                                            + openApi.resolve(p).get("name").asText()));
                    assertThat(headers).as(name).contains("header:Idempotency-Key");
                    JsonNode body = openApi.resolve(op.at("/requestBody/content/application~1json/schema"));
                    assertThat(openApi.properties(body).keySet())
                            .as("%s accepts the run options next to input", name)
                            .contains(
                                    "input",
                                    "idempotencyKey",
                                    "deadlineAt",
                                    "timeoutSeconds",
                                    "threadId",
                                    "webhookUrl",
                                    "maxCostUsd",
                                    "maxTokens",
                                    "onBudgetExceeded");
                }
            });
            assertThat(doc.at("/paths/~1health/get/responses/503/content/application~1json/schema")
                            .isMissingNode())
                    .isFalse();
            assertThat(doc.at("/paths/~1health~1ready/get/responses/503/content/application~1problem+json/schema/$ref")
                            .asText())
                    .isEqualTo("#/components/schemas/ReadinessProblem");
            assertThat(openApi.properties(schemas.get("ReadinessProblem")).keySet())
                    .contains("type", "title", "status", "detail", "store");

            // the Restack seed is served as published: the fragments only add to it
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            JsonNode seed = yaml.readTree(resource("spec/restack-api.openapi.yaml"));
            assertThat(new String(resource("openapi/restack-api.yaml"), StandardCharsets.UTF_8))
                    .as("openapi/restack-api.yaml is the seed file")
                    .isEqualTo(new String(resource("spec/restack-api.openapi.yaml"), StandardCharsets.UTF_8));
            OpenApiStructure.leaves(seed).forEach((pointer, value) -> {
                if (!pointer.equals("/info/title"))
                    assertThat(doc.at(pointer)).as("seed %s", pointer).isEqualTo(value);
            });

            // the spec views are embedded: agent-run.schema.json's properties and required; exactly the run resource's
            // 26 properties
            JsonNode agentRunSeed = JSON.readTree(resource("spec/agent-run.schema.json"));
            JsonNode agentRun = schemas.get("AgentRun");
            assertThat(openApi.properties(agentRun).keySet()).containsAll(names(agentRunSeed.get("properties")));
            assertThat(agentRun.get("required")).isEqualTo(agentRunSeed.get("required"));
            assertThat(openApi.properties(schemas.get("AgentRunStep")).keySet())
                    .containsAll(names(agentRunSeed.at("/properties/steps/items/properties")));
            assertThat(enumOf(schemas.at("/AgentRunStep/properties/type")))
                    .isEqualTo(enumOf(agentRunSeed.at("/properties/steps/items/properties/type")));
            JsonNode resourceSeed = JSON.readTree(resource("spec/agent-service-run.schema.json"));
            JsonNode resource = schemas.get("AgentServiceRun");
            assertThat(openApi.properties(resource).keySet())
                    .containsExactlyElementsOf(names(resourceSeed.get("properties")))
                    .hasSize(26);
            assertThat(resource.get("required")).isEqualTo(resourceSeed.get("required"));
            assertThat(resource.get("additionalProperties").asBoolean(true)).isFalse();
            assertThat(openApi.properties(schemas.get("AgentServiceAttempt")).keySet())
                    .containsExactlyElementsOf(names(resourceSeed.at("/$defs/Attempt/properties")));
            for (String mode : List.of("AgentRunInput", "ToolRunInput", "McpServerRunInput")) {
                JsonNode embedded = schemas.get("AgentService" + mode.replace("RunInput", "Input"));
                assertThat(openApi.properties(embedded).keySet())
                        .as(mode)
                        .containsExactlyElementsOf(names(resourceSeed.at("/$defs/" + mode + "/properties")));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ generation

    /** Generates the client's sources; returns their root. */
    private static Path generate(Path spec, Path out) {
        CodegenConfigurator config = new CodegenConfigurator()
                .setGeneratorName("java")
                .setLibrary("native")
                .setInputSpec(spec.toString())
                .setOutputDir(out.toString())
                .setInvokerPackage(PACKAGE)
                .setApiPackage(PACKAGE + ".api")
                .setModelPackage(PACKAGE + ".model")
                .setValidateSpec(true)
                .addAdditionalProperty("useJakartaEe", true)
                .addAdditionalProperty("openApiNullable", false)
                .addAdditionalProperty(CodegenConstants.HIDE_GENERATION_TIMESTAMP, true);
        DefaultGenerator generator = new DefaultGenerator();
        generator.setGeneratorPropertyDefault(CodegenConstants.MODEL_TESTS, "false");
        generator.setGeneratorPropertyDefault(CodegenConstants.MODEL_DOCS, "false");
        generator.setGeneratorPropertyDefault(CodegenConstants.API_TESTS, "false");
        generator.setGeneratorPropertyDefault(CodegenConstants.API_DOCS, "false");
        List<File> files = generator.opts(config.toClientOptInput()).generate();
        assertThat(files).isNotEmpty();
        return out.resolve("src/main/java");
    }

    private static Path compile(Path sources, Path out, List<Path> classpath) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("a JDK's compiler").isNotNull();
        Files.createDirectories(out);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of(
                    "-proc:none",
                    "-nowarn",
                    "-Xlint:none",
                    "-encoding",
                    "UTF-8",
                    "-d",
                    out.toString(),
                    "-classpath",
                    classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
            boolean ok = compiler.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files))
                    .call();
            String errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getSource() == null
                            ? d.getMessage(null)
                            : d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(null))
                    .collect(Collectors.joining("\n"));
            assertThat(ok).as("compiling %s:\n%s", sources, errors).isTrue();
        }
        return out;
    }

    private static long countSources(Path sources) throws IOException {
        try (Stream<Path> walk = Files.walk(sources)) {
            return walk.filter(p -> p.toString().endsWith(".java")).count();
        }
    }

    /** The jar (or class directory) each class was loaded from. */
    private static List<Path> jarsOf(Class<?>... classes) {
        return Arrays.stream(classes)
                .map(c -> {
                    try {
                        return Path.of(c.getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
                    } catch (URISyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .distinct()
                .toList();
    }

    // ------------------------------------------------------------------------------------------ checks

    private static List<String> schemaErrors(OpenApiStructure openApi, JsonNode schema, JsonNode body) {
        com.fasterxml.jackson.databind.node.ObjectNode s = JSON.createObjectNode();
        s.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        s.setAll((com.fasterxml.jackson.databind.node.ObjectNode) schema.deepCopy());
        s.set("components", openApi.doc().get("components"));
        JsonSchema validator = SCHEMAS.getSchema(
                s,
                com.networknt.schema.SchemaValidatorsConfig.builder()
                        .formatAssertionsEnabled(true)
                        .build());
        return validator.validate(body).stream()
                .map(m -> m.getMessage())
                .sorted()
                .toList();
    }

    private static void refs(JsonNode node, List<String> problems, OpenApiStructure openApi) {
        if (node.isObject()) {
            if (node.has("$ref")) {
                try {
                    openApi.resolve(node);
                } catch (AssertionError e) {
                    problems.add(e.getMessage());
                }
            }
            node.elements().forEachRemaining(child -> refs(child, problems, openApi));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> refs(child, problems, openApi));
        }
    }

    private static List<String> enumOf(JsonNode schema) {
        assertThat(schema.has("enum")).as("an enum: %s", schema).isTrue();
        List<String> values = new ArrayList<>();
        schema.get("enum").forEach(v -> values.add(v.asText()));
        return values;
    }

    private static <E> List<String> wire(E[] values, Function<E, String> name) {
        return Arrays.stream(values).map(name).toList();
    }

    private static List<String> names(JsonNode properties) {
        List<String> out = new ArrayList<>();
        properties.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = GeneratedClientTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    // ------------------------------------------------------------------------------------------ the client's scenario

    /**
     * Compiled against the generated client: schedules and reads runs through it, with typed assertions, and returns
     * every body it read by the path it read it from (for the checks above).
     */
    private static final String SCENARIO = """
      package tern.client.scenario;

      import static org.assertj.core.api.Assertions.assertThat;

      import java.math.BigDecimal;
      import java.time.OffsetDateTime;
      import java.util.LinkedHashMap;
      import java.util.List;
      import java.util.Map;
      import java.util.function.Function;
      import tern.client.ApiClient;
      import tern.client.api.*;
      import tern.client.model.*;

      public final class Scenario implements Function<String, Map<String, Object>> {
        private RunsApi runs;
        private final Map<String, Object> read = new LinkedHashMap<>();

        @Override
        public Map<String, Object> apply(String baseUrl) {
          try {
            return scenario(baseUrl);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }

        private <T> T read(String path, T body) {
          read.put(path, body);
          return body;
        }

        private Run awaitRun(String runId, java.util.function.Predicate<Run> until) throws Exception {
          long deadline = System.nanoTime() + 30_000_000_000L;
          while (true) {
            Run run = runs.getRun(runId, null, null);
            if (until.test(run) || System.nanoTime() > deadline) return run;
            Thread.sleep(50);
          }
        }

        private Map<String, Object> scenario(String baseUrl) throws Exception {
          ApiClient client = new ApiClient();
          client.updateBaseUri(baseUrl);
          runs = new RunsApi(client);
          HumanInTheLoopApi humans = new HumanInTheLoopApi(client);
          AgentsApi agents = new AgentsApi(client);
          WorkflowsApi workflows = new WorkflowsApi(client);
          SchedulesApi schedules = new SchedulesApi(client);
          assertThat(new ConsoleApi(client).consoleSession().getTokenAccepted()).isTrue();
          Readiness ready = read("/health/ready", new SystemApi(client).healthReady());
          assertThat(ready.getStatus()).isEqualTo(Readiness.StatusEnum.READY);
          assertThat(ready.getStore().getHealthy()).isTrue();

          // a completed workflow run, scheduled with options and an idempotency key
          RunSummary scheduled = runs.scheduleRun(new ScheduleRequest().name("hello").input(Map.of("name", "Ada"))
              .threadId("generated-client").timeoutSeconds(new BigDecimal("600")), "generated-hello-1", 30);
          assertThat(scheduled.getKind()).isEqualTo(RunKind.WORKFLOW);
          // waitSeconds: the one request scheduled the run and answered it finished
          assertThat(scheduled.getStatus()).isEqualTo(RunStatus.COMPLETED);
          assertThat(scheduled.getOutput()).isEqualTo(Map.of("message", "Hello, Ada!"));
          String hello = scheduled.getRunId();
          assertThat(runs.scheduleRun(new ScheduleRequest().name("hello").input(Map.of("name", "Ada")),
              "generated-hello-1", null).getRunId())
              .isEqualTo(hello);
          Run helloRun = read("/v1/runs/" + hello, runs.getRun(hello, null, 30));
          assertThat(helloRun.getStatus()).isEqualTo(RunStatus.COMPLETED);
          assertThat(helloRun.getOutput()).isEqualTo(Map.of("message", "Hello, Ada!"));
          assertThat(helloRun.getInput()).isEqualTo(Map.of("name", "Ada"));
          assertThat(helloRun.getSteps()).extracting(RunStep::getName).containsExactly("chooseSalutation",
              "formatGreeting");
          assertThat(helloRun.getSteps()).allSatisfy(step -> {
            assertThat(step.getKind()).isEqualTo(StepKind.FUNCTION);
            assertThat(step.getType()).isEqualTo(StepType.FUNCTION);
            assertThat(step.getStatus()).isEqualTo(StepStatus.COMPLETED);
            assertThat(step.getDurationMs()).isNotNull();
            assertThat(step.getStartedAt()).isNotNull();
          });
          assertThat(helloRun.getAttempts()).singleElement().satisfies(a -> {
            assertThat(a.getOutcome()).isEqualTo(RunAttempt.OutcomeEnum.COMPLETED);
            assertThat(a.getNodeId()).isNotBlank();
          });
          assertThat(helloRun.getMetrics().getToolCallCount()).isZero();
          assertThat(helloRun.getThreadId()).isEqualTo("generated-client");
          assertThat(helloRun.getIdempotencyKey()).isEqualTo("generated-hello-1");
          assertThat(helloRun.getDeadlineAt()).isAfter(helloRun.getCreatedAt());
          assertThat(helloRun.getOpenInteractionCount()).isZero();
          History history = read("/v1/runs/" + hello + "/history", runs.getRunHistory(hello, null, null));
          assertThat(history.getEvents()).first().satisfies(e -> assertThat(e.getType())
              .isEqualTo(HistoryEventType.RUN_CREATED));
          assertThat(history.getEvents()).last().satisfies(e -> assertThat(e.getType())
              .isEqualTo(HistoryEventType.RUN_COMPLETED));
          assertThat(history.getEvents()).extracting(HistoryEvent::getType).contains(HistoryEventType.STEP_COMPLETED);
          read("/v1/runs/" + hello + "/webhooks", runs.listRunWebhookDeliveries(hello));
          RunExport export = read("/v1/runs/" + hello + "/export", runs.exportRun(hello));
          assertThat(export.getFormat()).isEqualTo(RunExport.FormatEnum.TERN_RUN_EXPORT);
          assertThat(export.getDefinition().getName()).isEqualTo("hello");
          assertThat(export.getSteps()).extracting(RunExportStep::getName).containsExactly("chooseSalutation",
              "formatGreeting");

          // typed steps with usage, a budget, a question to a human answered through the client
          String approval = runs.scheduleRun(new ScheduleRequest().name("approval").input(Map.of())
              .maxCostUsd(new BigDecimal("1")).onBudgetExceeded(ScheduleRequest.OnBudgetExceededEnum.FAIL),
                  null, null).getRunId();
          Run waiting = awaitRun(approval, r -> r.getStatus() == RunStatus.AWAITING_HUMAN);
          assertThat(waiting.getStatus()).isEqualTo(RunStatus.AWAITING_HUMAN);
          assertThat(waiting.getBlockedReason()).isEqualTo(BlockedReason.AWAITING_HUMAN_INPUT);
          assertThat(waiting.getOpenInteractionCount()).isEqualTo(1);
          assertThat(waiting.getSteps()).extracting(RunStep::getKind).contains(StepKind.HUMAN);
          AgentServiceRun blocked = runs.getRunAsResource(approval, null);
          assertThat(blocked.getStatus()).isEqualTo(RunStatus.AWAITING_HUMAN);
          assertThat(blocked.getBlockedReason()).isEqualTo(BlockedReason.AWAITING_HUMAN_INPUT);
          assertThat(blocked.getBlockingInteractionId()).isEqualTo(waiting.getBlockingInteractionId());
          Interaction question = humans.listInteractions(approval).getInteractions().get(0);
          assertThat(question.getStatus()).isEqualTo(Interaction.StatusEnum.OPEN);
          Interaction answered = humans.answerInteraction(approval, question.getInteractionId(),
              new AnswerRequest().answer(Map.of("approved", true, "comment", "ship it")));
          assertThat(answered.getStatus()).isEqualTo(Interaction.StatusEnum.ANSWERED);
          Run approved = read("/v1/runs/" + approval, runs.getRun(approval, null, 30));
          assertThat(approved.getStatus()).isEqualTo(RunStatus.COMPLETED);
          assertThat(approved.getSteps()).extracting(RunStep::getKind).contains(StepKind.FUNCTION, StepKind.HUMAN);
          assertThat(approved.getSteps()).extracting(RunStep::getType).contains(StepType.MESSAGE, StepType.HUMAN,
              StepType.TOOL_CALL);
          assertThat(approved.getSteps().get(0).getUsage().getInputTokens()).isEqualTo(42L);
          assertThat(approved.getMetrics().getInputTokens()).isEqualTo(42L);
          assertThat(approved.getMetrics().getOutputTokens()).isEqualTo(17L);
          assertThat(approved.getMetrics().getToolCallCount()).isEqualTo(1);
          assertThat(approved.getMetrics().getCostUsd()).isPositive();
          assertThat(approved.getBudget().getOnExceeded()).isEqualTo(RunBudget.OnExceededEnum.FAIL);
          assertThat(approved.getBudget().getSpentTokens()).isEqualTo(59L);
          assertThat(approved.getBudget().getExhausted()).isFalse();
          read("/v1/runs/" + approval + "/interactions", humans.listInteractions(approval));
          AgentRun approvalAgentRun = read("/v1/runs/" + approval + "/agent-run", runs.getRunAsAgentRun(approval,
              null));
          assertThat(approvalAgentRun.getStatus()).isEqualTo(AgentRun.StatusEnum.COMPLETED);
          assertThat(approvalAgentRun.getSteps()).extracting(AgentRunStep::getType)
              .contains(AgentRunStep.TypeEnum.MESSAGE, AgentRunStep.TypeEnum.HANDOFF, AgentRunStep.TypeEnum.TOOL_CALL);
          assertThat(approvalAgentRun.getSteps()).extracting(AgentRunStep::getTernType).contains(StepType.HUMAN);
          assertThat(approvalAgentRun.getMetrics().getInputTokens()).isEqualTo(42L);
          assertThat(approvalAgentRun.getResult().getSummary()).isNotBlank();
          assertThat(approvalAgentRun.getTraceUrl()).isNotNull();
          AgentServiceRun approvalResource = read("/v1/runs/" + approval + "/resource",
              runs.getRunAsResource(approval, null));
          assertThat(approvalResource.getResourceType()).isEqualTo(AgentServiceRun.ResourceTypeEnum.WORKFLOW);
          assertThat(approvalResource.getInput().getActualInstance()).isInstanceOf(AgentServiceToolInput.class);
          assertThat(approvalResource.getAttempts()).singleElement().satisfies(a -> assertThat(a.getStatus())
              .isEqualTo(RunStatus.COMPLETED));
          assertThat(approvalResource.getOpenInteractionCount()).isZero();

          // child runs
          String greetAll = runs.scheduleRun(new ScheduleRequest().name("greetAll").input(Map.of("names",
              List.of("Ada", "Grace"))), null, null)
              .getRunId();
          Run parent = read("/v1/runs/" + greetAll, runs.getRun(greetAll, null, 30));
          assertThat(parent.getStatus()).isEqualTo(RunStatus.COMPLETED);
          assertThat(parent.getSteps()).extracting(RunStep::getKind).contains(StepKind.CHILD, StepKind.FUNCTION);
          RunPage children = read("/v1/runs?parentRunId=" + greetAll, runs.listRuns(null, null, null, null, null,
              null, greetAll, null));
          assertThat(children.getRuns()).hasSize(2).allSatisfy(child -> assertThat(child.getParentRunId())
              .isEqualTo(greetAll));
          read("/v1/runs/" + children.getRuns().get(0).getRunId() + "/resource",
              runs.getRunAsResource(children.getRuns().get(0).getRunId(), null));

          // a durable sleep, then a cancel
          String sleepy = runs.scheduleRun(new ScheduleRequest().name("sleepy").input(Map.of("seconds", 3600)),
              null, null).getRunId();
          Run asleep = awaitRun(sleepy,
              r -> r.getWaiting() != null && Boolean.TRUE.equals(r.getWaiting().getSuspended()));
          assertThat(asleep.getWaiting().getWakeAt()).isAfter(OffsetDateTime.now());
          assertThat(asleep.getSteps()).anySatisfy(step -> {
            assertThat(step.getKind()).isEqualTo(StepKind.SLEEP);
            assertThat(step.getStatus()).isEqualTo(StepStatus.WAITING);
          });
          assertThat(runs.cancelRun(sleepy).getStatus()).isIn(RunStatus.CANCELLED, RunStatus.RUNNING);
          Run cancelled = read("/v1/runs/" + sleepy, runs.getRun(sleepy, null, 30));
          assertThat(cancelled.getStatus()).isEqualTo(RunStatus.CANCELLED);
          assertThat(cancelled.getError().getMessage()).isNotBlank();
          AgentServiceRun cancelledResource = read("/v1/runs/" + sleepy + "/resource", runs.getRunAsResource(sleepy,
              null));
          assertThat(cancelledResource.getStatus()).isEqualTo(RunStatus.CANCELLED);
          assertThat(cancelledResource.getFinishedAt()).isNotNull();

          // an agent over Restack's routes, with run options next to its input
          AgentRunResponse chat = agents.scheduleAgent("chat", "generated-chat-1", new AgentRunRequest()
              .input(Map.of("messages", List.of(Map.of("role", "user", "content",
                  "hi")))).threadId("generated-client").maxTokens(100000L));
          String chatId = chat.getRunId();
          EventAccepted said = agents.sendAgentEvent("chat", chatId, new EventRequest().eventName("messages")
              .eventInput(Map.of("messages", List.of(Map.of("role", "user", "content", "how are you?")))));
          assertThat(said.getStatus()).isEqualTo(EventAccepted.StatusEnum.ACCEPTED);
          agents.sendAgentEventById("chat", chatId, chatId, new EventRequest().eventName("end"));
          AgentRunStatus chatDone = read("/api/agents/chat/" + chatId, agents.getAgentRun("chat", chatId, 30));
          assertThat(chatDone.getStatus()).isEqualTo(AgentRunStatus.StatusEnum.COMPLETED);
          assertThat(chatDone.getAgentName()).isEqualTo("chat");
          assertThat(chatDone.getOutput()).containsKey("messages");
          assertThat(chatDone.getInput()).containsKey("messages");
          assertThat(chatDone.getCompletedAt()).isAfterOrEqualTo(chatDone.getCreatedAt());
          Run chatRun = read("/v1/runs/" + chatId, runs.getRun(chatId, null, null));
          assertThat(chatRun.getKind()).isEqualTo(RunKind.AGENT);
          assertThat(chatRun.getSteps()).isNotEmpty();
          assertThat(chatRun.getBudget().getMaxTokens()).isEqualTo(100000L);
          AgentRun chatAgentRun = read("/v1/runs/" + chatId + "/agent-run", runs.getRunAsAgentRun(chatId, null));
          assertThat(chatAgentRun.getAgentId()).isEqualTo("chat");
          assertThat(chatAgentRun.getGoal()).isEqualTo("hi");
          AgentServiceRun chatResource = read("/v1/runs/" + chatId + "/resource", runs.getRunAsResource(chatId, null));
          assertThat(chatResource.getResourceType()).isEqualTo(AgentServiceRun.ResourceTypeEnum.AGENT);
          assertThat(chatResource.getThreadId()).isEqualTo("generated-client");
          assertThat(chatResource.getInput().getAgentServiceAgentInput().getMessages()).singleElement()
              .satisfies(m -> assertThat(m.getContent()).isEqualTo("hi"));

          // a workflow over Restack's routes
          WorkflowRunResponse restack = workflows.scheduleWorkflow("hello", null,
              new WorkflowRunRequest().input(Map.of("name", "Grace"))
              .idempotencyKey("generated-hello-restack").deadlineAt(OffsetDateTime.now().plusHours(1)));
          WorkflowRunStatus restackRun = read("/api/workflows/hello/" + restack.getRunId(),
              workflows.getWorkflowRun("hello", restack.getRunId(), 30));
          assertThat(restackRun.getStatus()).isEqualTo(WorkflowRunStatus.StatusEnum.COMPLETED);
          assertThat(restackRun.getWorkflowName()).isEqualTo("hello");
          assertThat(restackRun.getOutput()).isEqualTo(Map.of("message", "Hello, Grace!"));
          assertThat(restackRun.getInput()).isEqualTo(Map.of("name", "Grace"));
          assertThat(restackRun.getCompletedAt()).isNotNull();

          // runs compared: the same workflow with another name, a run with itself, two definitions
          RunComparison compared = read("/v1/runs/" + hello + "/compare/" + restack.getRunId(),
              runs.compareRuns(hello, restack.getRunId()));
          assertThat(compared.getSame()).isFalse();
          assertThat(compared.getFirstDifference()).isZero();
          assertThat(compared.getRows()).hasSize(2);
          assertThat(compared.getRows().get(0).getDiff()).containsExactly(ComparedStepField.INPUT);
          assertThat(compared.getRows().get(0).getA().getType()).isEqualTo(StepType.FUNCTION);
          assertThat(compared.getA().getTotals().getSteps()).isEqualTo(2);
          assertThat(compared.getB().getStatus()).isEqualTo(RunStatus.COMPLETED);
          RunComparison itself = read("/v1/runs/" + approval + "/compare/" + approval,
              runs.compareRuns(approval, approval));
          assertThat(itself.getSame()).isTrue();
          assertThat(itself.getA().getTotals().getInputTokens()).isEqualTo(42L);
          RunComparison apart = read("/v1/runs/" + sleepy + "/compare/" + hello, runs.compareRuns(sleepy, hello));
          assertThat(apart.getRows().get(0).getDiff()).contains(ComparedStepField.NAME);

          // pages of runs
          RunPage page = read("/v1/runs?kind=workflow&name=hello&status=completed&limit=2",
              runs.listRuns(RunKind.WORKFLOW, "hello", RunStatus.COMPLETED, 2, null, null, null, null));
          assertThat(page.getRuns()).hasSize(2).allSatisfy(r -> assertThat(r.getStatus())
              .isEqualTo(RunStatus.COMPLETED));
          assertThat(page.getNextCursor()).isNotBlank();
          RunPage next = runs.listRuns(RunKind.WORKFLOW, "hello", RunStatus.COMPLETED, 2, page.getNextCursor(),
              null, null, null);
          assertThat(next.getRuns()).hasSize(2);
          RunPage thread = read("/v1/threads/generated-client/runs", runs.listThreadRuns("generated-client", null,
              null, null, null, null));
          assertThat(thread.getRuns()).extracting(RunSummary::getRunId).containsExactlyInAnyOrder(hello, chatId);

          // a schedule
          Schedule nightly = schedules.createSchedule(new ScheduleCreate().scheduleId("generated-nightly")
              .workflow("hello")
              .input(Map.of("name", "Linus")).cron("0 3 * * *").timezone("Europe/Paris").paused(true));
          assertThat(nightly.getPaused()).isTrue();
          read("/v1/schedules/generated-nightly", schedules.getSchedule("generated-nightly"));
          read("/v1/schedules", schedules.listSchedules());
          return read;
        }
      }
      """;
}
