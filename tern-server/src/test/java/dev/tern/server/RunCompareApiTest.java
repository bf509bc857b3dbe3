package dev.tern.server;

import static dev.tern.server.RestackApiConformanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.RunComparison;
import dev.tern.engine.RunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/runs/{runId}/compare/{otherRunId}} over real HTTP: identical runs, runs with different inputs, a fork
 * beside its original, runs of two definitions with rows only one has; every body valid against the served document's
 * {@code RunComparison} with no member it does not declare; a missing run is a 404 problem, no token a 401.
 */
class RunCompareApiTest {
    private static final String TOKEN = "compare-secret";

    @TempDir
    Path dir;

    TestServer server;
    OpenApiStructure openApi;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, TOKEN);
        openApi = new OpenApiStructure(server.get("/openapi.json").body());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String hello(String name) throws InterruptedException {
        TestServer.Response r =
                server.post("/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"" + name + "\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        String id = r.body().get("runId").asText();
        assertThat(server.awaitRun(id, Duration.ofSeconds(20)).get("status").asText())
                .isEqualTo("completed");
        return id;
    }

    /** The comparison, checked against the document: a 200 whose body is a valid, fully declared RunComparison. */
    JsonNode compare(String a, String b) {
        TestServer.Response r = server.get("/v1/runs/" + a + "/compare/" + b);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        String template = openApi.template("/v1/runs/" + a + "/compare/" + b);
        assertThat(template).isEqualTo("/v1/runs/{runId}/compare/{otherRunId}");
        JsonNode schema = openApi.responseSchema("GET", template);
        assertThat(schema.get("$ref").asText()).isEqualTo("#/components/schemas/RunComparison");
        assertThat(SpecSchemas.errors(SpecSchemas.component(openApi.doc(), "RunComparison"), r.body()))
                .as("RunComparison errors in %s", r.raw())
                .isEmpty();
        assertThat(openApi.undeclared(schema, r.body(), "$")).as(r.raw()).isEmpty();
        return r.body();
    }

    static List<String> diff(JsonNode row) {
        List<String> out = new ArrayList<>();
        row.get("diff").forEach(f -> out.add(f.asText()));
        return out;
    }

    @Test
    void twoRunsWithTheSameInputAreTheSame() throws Exception {
        String first = hello("Ada");
        String second = hello("Ada");
        JsonNode c = compare(first, second);
        assertThat(c.get("same").asBoolean()).isTrue();
        assertThat(c.has("firstDifference")).isFalse();
        assertThat(c.get("forkedFromA").asBoolean()).isFalse();
        assertThat(c.get("a").get("runId").asText()).isEqualTo(first);
        assertThat(c.get("b").get("runId").asText()).isEqualTo(second);
        assertThat(c.get("a").get("name").asText()).isEqualTo("hello");
        assertThat(c.get("b").get("status").asText()).isEqualTo("completed");
        assertThat(c.get("a").has("forkedFrom")).isFalse();
        assertThat(c.get("a").get("totals").get("steps").asInt()).isEqualTo(2);
        assertThat(c.get("rows")).hasSize(2).allSatisfy(row -> {
            assertThat(row.get("same").asBoolean()).isTrue();
            assertThat(row.get("diff")).isEmpty();
            assertThat(row.get("a").get("name").asText())
                    .isEqualTo(row.get("b").get("name").asText());
            assertThat(row.get("a").has("durationMs")).isTrue();
        });
        assertThat(c.get("rows").get(0).get("a").get("input").asText()).isEqualTo("Ada");
        assertThat(c.get("rows").get(1).get("position").asInt()).isEqualTo(1);
    }

    @Test
    void differentInputsDifferFromTheFirstStepAndAForkNamesItsOriginal() throws Exception {
        String ada = hello("Ada");
        String grace = hello("Grace");
        JsonNode c = compare(ada, grace);
        assertThat(c.get("same").asBoolean()).isFalse();
        assertThat(c.get("firstDifference").asInt()).isZero();
        assertThat(diff(c.get("rows").get(0))).containsExactly("input");
        assertThat(diff(c.get("rows").get(1))).containsExactly("input", "output");
        assertThat(c.get("rows").get(1).get("b").get("output").asText()).isEqualTo("Hello, Grace!");

        // a fork of Ada's run from its second step with Grace's name: the first step is Ada's, copied
        String fork = server.engine()
                .fork(ada, 1, JsonNodeFactory.instance.objectNode().put("name", "Grace"), RunOptions.none())
                .id();
        server.awaitRun(fork, Duration.ofSeconds(20));
        JsonNode f = compare(ada, fork);
        assertThat(f.get("forkedFromA").asBoolean()).isTrue();
        assertThat(f.get("b").get("forkedFrom").get("runId").asText()).isEqualTo(ada);
        assertThat(f.get("b").get("forkedFrom").get("step").asInt()).isEqualTo(1);
        assertThat(f.get("firstDifference").asInt()).isEqualTo(1);
        assertThat(f.get("rows").get(0).get("same").asBoolean()).isTrue();
        assertThat(diff(f.get("rows").get(1))).containsExactly("input", "output");
    }

    @Test
    void runsOfTwoDefinitionsDifferByNameAndARowMayHaveOneSide() throws Exception {
        String hello = hello("Ada");
        TestServer.Response sleepy = server.post("/v1/runs", "{\"name\": \"sleepy\", \"input\": {\"seconds\": 3600}}");
        String asleep = sleepy.body().get("runId").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (server.get("/v1/runs/" + asleep).body().get("steps").isEmpty() && System.nanoTime() < deadline)
            Thread.sleep(50);

        JsonNode c = compare(hello, asleep);
        assertThat(c.get("firstDifference").asInt()).isZero();
        assertThat(c.get("rows")).hasSize(2);
        JsonNode first = c.get("rows").get(0);
        assertThat(diff(first)).contains("name", "type", "status");
        assertThat(first.get("b").get("type").asText()).isEqualTo("sleep");
        assertThat(first.get("b").get("status").asText()).isEqualTo("waiting");
        assertThat(first.get("b").has("durationMs"))
                .as("a wait has not completed")
                .isFalse();
        JsonNode second = c.get("rows").get(1);
        assertThat(second.has("b")).as("the sleepy run has one step").isFalse();
        assertThat(diff(second)).startsWith("name", "type", "status");
        assertThat(c.get("b").get("status").asText()).isEqualTo("running");
        assertThat(c.get("b").get("totals").get("steps").asInt()).isEqualTo(1);
        assertThat(c.get("b").get("totals").get("durationMs").asLong()).isNotNegative();
    }

    @Test
    void aMissingRunIsANotFoundProblemAndATokenIsNeeded() throws Exception {
        String hello = hello("Ada");
        assertThat(assertProblem(server.get("/v1/runs/" + hello + "/compare/run_doesnotexist"), 404)
                        .get("detail")
                        .asText())
                .contains("run_doesnotexist");
        assertProblem(server.get("/v1/runs/run_doesnotexist/compare/" + hello), 404);
        assertProblem(server.get("/v1/runs/" + hello + "/compare/not-a-run-id"), 404);
        assertProblem(server.send("GET", "/v1/runs/" + hello + "/compare/" + hello, null, null), 401);

        JsonNode op = openApi.doc().at("/paths/~1v1~1runs~1{runId}~1compare~1{otherRunId}/get");
        assertThat(op.get("responses").fieldNames()).toIterable().contains("200", "401", "404", "503");
        List<String> fields = new ArrayList<>();
        openApi.resolve(openApi.doc().at("/components/schemas/ComparedStepField"))
                .get("enum")
                .forEach(v -> fields.add(v.asText()));
        assertThat(fields)
                .as("the fields the engine compares")
                .containsExactlyElementsOf(Arrays.stream(RunComparison.Field.values())
                        .map(RunComparison.Field::wireName)
                        .toList());
    }
}
