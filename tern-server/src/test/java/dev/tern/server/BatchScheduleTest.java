package dev.tern.server;

import static dev.tern.server.RestackApiConformanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunQuery;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.server.auth.TokenRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /v1/runs:batch} over real HTTP on both stores: a thousand runs created in order and all completed; a bad
 * run, an idempotency conflict or a quota refuses the whole batch and creates nothing; a replay returns the same runs.
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class BatchScheduleTest {
    static final String ADMIN = "batch-admin-token";
    static final String ACME = "acme-admin-token";

    @Parameter
    String storeKind;

    @TempDir
    Path dir;

    TestStore store;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        Path file = dir.resolve("tokens.json");
        Files.writeString(file, """
                {"tokens": [
                  {"token": "%s", "org": "default", "role": "admin", "name": "ops"},
                  {"token": "%s", "org": "acme", "role": "admin", "name": "acme-ops"}],
                 "orgs": {"acme": {"maxActiveRuns": 5}}}
                """.formatted(ADMIN, ACME));
        store = TestStore.of(storeKind, dir.resolve("data"));
        server = TestServer.startWithTokens(store.config(), TokenRegistry.of(file, null));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (store != null) store.close();
    }

    TestServer.Response batch(String token, List<String> runs) {
        return server.send("POST", "/v1/runs:batch", "{\"runs\": [" + String.join(", ", runs) + "]}", token);
    }

    static String hello(String key, String name) {
        return "{\"name\": \"hello\", \"input\": {\"name\": \"" + name + "\"}, \"idempotencyKey\": \"" + key + "\"}";
    }

    static List<String> ids(TestServer.Response r) {
        return StreamSupport.stream(r.body().get("runs").spliterator(), false)
                .map(run -> run.get("runId").asText())
                .toList();
    }

    List<RunRecord> allRuns() {
        return server.engine().runs(new RunQuery(null, null, null, 500, null)).runs();
    }

    @Test
    void aThousandRunsAreCreatedInOrderAllCompleteAndAReplayReturnsTheSameRuns() throws Exception {
        List<String> items = IntStream.range(0, 1_000)
                .mapToObj(i -> hello("greet-" + i, "P" + i))
                .toList();
        TestServer.Response created = batch(ADMIN, items);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        List<String> ids = ids(created);
        assertThat(ids).hasSize(1_000);
        assertThat(new HashSet<>(ids)).hasSize(1_000);
        JsonNode first = created.body().get("runs").get(0);
        assertThat(first.get("name").asText()).isEqualTo("hello");
        assertThat(first.get("kind").asText()).isEqualTo("workflow");
        for (int i = 0; i < ids.size(); i++) {
            RunRecord run = server.engine().awaitCompletion(ids.get(i), Duration.ofSeconds(60));
            assertThat(run.status()).as(run.id()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.output().get("message").asText()).isEqualTo("Hello, P" + i + "!");
        }

        TestServer.Response replay = batch(ADMIN, items);
        assertThat(replay.status()).as(replay.raw()).isEqualTo(200);
        assertThat(ids(replay)).isEqualTo(ids);
        assertThat(replay.body().get("runs").get(0).get("status").asText()).isEqualTo("completed");

        // a new run among known ones: 201, the known ones as they were; one key twice in a batch is one run
        TestServer.Response mixed = batch(ADMIN, List.of(hello("greet-7", "P7"), hello("new", "N"), hello("new", "N")));
        assertThat(mixed.status()).as(mixed.raw()).isEqualTo(201);
        List<String> mixedIds = ids(mixed);
        assertThat(mixedIds.get(0)).isEqualTo(ids.get(7));
        assertThat(mixedIds.get(2)).isEqualTo(mixedIds.get(1)).isNotIn(ids);
    }

    @Test
    void runsBeyondTheNodesFreeSlotsAreQueuedAndCompleteAndAKeyTakenAmongThemIsOneRun() throws Exception {
        server.close();
        server = TestServer.startWithTokens(
                store.config().withMaxActiveRuns(5), TokenRegistry.of(dir.resolve("tokens.json"), null));
        List<String> items = new ArrayList<>(IntStream.range(0, 40)
                .mapToObj(i -> hello("slot-" + i, "Q" + i))
                .toList());
        items.add(hello("slot-3", "Q3")); // the key of a run started at once
        items.add(hello("slot-30", "Q30")); // the key of a run queued for a free slot
        TestServer.Response created = batch(ADMIN, items);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        List<String> ids = ids(created);
        assertThat(new HashSet<>(ids)).hasSize(40);
        assertThat(ids.get(40)).isEqualTo(ids.get(3));
        assertThat(ids.get(41)).isEqualTo(ids.get(30));
        assertThat(created.body().get("runs").get(30).get("status").asText()).isEqualTo("queued");
        for (int i = 0; i < 40; i++) {
            RunRecord run = server.engine().awaitCompletion(ids.get(i), Duration.ofSeconds(60));
            assertThat(run.status()).as(run.id()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.output().get("message").asText()).isEqualTo("Hello, Q" + i + "!");
            assertThat(server.engine().history(run.id(), 0, 1).get(0).type())
                    .as("a run's first event is its creation")
                    .isEqualTo(HistoryEventType.RUN_CREATED);
        }
        assertThat(allRuns()).hasSize(40);
    }

    @Test
    void aBadRunRefusesTheWholeBatchNamingItsFieldAndCreatesNothing() {
        List<String> items = new ArrayList<>(List.of(hello("a", "A"), hello("b", "B"), hello("c", "C")));
        items.add("{\"name\": \"hello\", \"input\": {\"name\": 5}, \"idempotencyKey\": \"d\"}");
        items.add(hello("e", "E"));
        assertField(assertProblem(batch(ADMIN, items), 400), "$.runs[3].input.name");

        assertField(
                assertProblem(batch(ADMIN, List.of(hello("a", "A"), "{\"name\": \"hello\", \"nmae\": 1}")), 400),
                "$.runs[1].nmae");
        assertField(assertProblem(batch(ADMIN, List.of(hello("a", "A"), "[1]")), 400), "$.runs[1]");
        assertField(assertProblem(batch(ADMIN, List.of(hello("bad key!", "A"))), 400), "$.runs[0].idempotencyKey");
        assertField(
                assertProblem(batch(ADMIN, List.of(hello("a", "A"), "{\"name\": \"nobody\", \"input\": {}}")), 404),
                "$.runs[1].name");
        assertField(
                assertProblem(
                        batch(
                                ADMIN,
                                List.of("{\"name\": \"sleepy\", \"input\": {\"seconds\": 1}, \"deadlineAt\": "
                                        + "\"2001-01-01T00:00:00Z\"}")),
                        400),
                "$.runs[0].deadlineAt");
        assertField(assertProblem(batch(ADMIN, List.of()), 400), "$.runs");
        List<String> tooMany =
                IntStream.range(0, 1_001).mapToObj(i -> hello("k" + i, "N")).toList();
        assertField(assertProblem(batch(ADMIN, tooMany), 400), "$.runs");
        assertField(assertProblem(server.send("POST", "/v1/runs:batch", "{}", ADMIN), 400), "$.runs");
        assertField(assertProblem(server.send("POST", "/v1/runs:batch", "{\"runs\": 3}", ADMIN), 400), "$.runs");
        assertField(
                assertProblem(
                        server.send(
                                "POST",
                                "/v1/runs:batch",
                                "{\"runs\": [" + hello("a", "A") + "]}",
                                ADMIN,
                                "Idempotency-Key",
                                "k"),
                        400),
                "Idempotency-Key");
        assertThat(allRuns()).isEmpty();
    }

    @Test
    void aKeyThatStartedAnotherRequestIs409NamingTheRunAndCreatesNothing() {
        TestServer.Response single = server.send("POST", "/v1/runs", hello("taken", "Ada"), ADMIN);
        assertThat(single.status()).as(single.raw()).isEqualTo(201);
        JsonNode conflict = assertProblem(batch(ADMIN, List.of(hello("fresh", "Bob"), hello("taken", "Lin"))), 409);
        assertThat(conflict.get("type").asText()).endsWith("/idempotency-conflict");
        assertField(conflict, "$.runs[1].input");
        assertThat(conflict.get("detail").asText())
                .contains(single.body().get("runId").asText());
        // two runs of the batch with one key and different requests
        assertField(
                assertProblem(batch(ADMIN, List.of(hello("twice", "A"), hello("twice", "B"))), 409), "$.runs[1].input");
        assertThat(allRuns())
                .extracting(RunRecord::id)
                .containsExactly(single.body().get("runId").asText());
    }

    @Test
    void theOrganisationsQuotaCountsEveryRunOfTheBatch() {
        String sleepy = "{\"name\": \"sleepy\", \"input\": {\"seconds\": 3600}}";
        TestServer.Response over = batch(ACME, List.of(sleepy, sleepy, sleepy, sleepy, sleepy, sleepy));
        assertProblem(over, 429);
        assertThat(allRuns()).isEmpty();
        TestServer.Response fits = batch(ACME, List.of(sleepy, sleepy, sleepy, sleepy, sleepy));
        assertThat(fits.status()).as(fits.raw()).isEqualTo(201);
        assertThat(allRuns())
                .hasSize(5)
                .allSatisfy(run -> assertThat(run.orgId()).isEqualTo("acme"));
        assertProblem(batch(ACME, List.of(sleepy)), 429);
        // another organisation is not counted
        assertThat(batch(ADMIN, List.of(sleepy)).status()).isEqualTo(201);
        assertThat(allRuns()).hasSize(6);
    }

    @Test
    void aBatchWithoutATokenIs401() {
        assertProblem(server.send("POST", "/v1/runs:batch", "{\"runs\": [" + hello("a", "A") + "]}", null), 401);
    }

    static void assertField(JsonNode problem, String field) {
        assertThat(problem.get("errors"))
                .as(problem.toString())
                .extracting(e -> e.get("field").asText())
                .contains(field);
    }
}
