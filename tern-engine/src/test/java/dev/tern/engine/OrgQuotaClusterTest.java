package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.WorkflowDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL schema, both scheduling for one organisation at once: its quota of unfinished runs holds
 * across them (the store counts under a per-organisation row lock), and another organisation is not held.
 */
class OrgQuotaClusterTest {
    record In(int seconds) {}

    record Out(int seconds) {}

    static final int MAX_ACTIVE = 5;

    final String schema = PostgresTestDatabase.newSchema();
    final List<TernEngine> nodes = new ArrayList<>();

    TernEngine node(String id) {
        TernEngine engine = TernEngine.start(
                EngineConfig.postgres(PostgresTestDatabase.url(schema))
                        .withNodeId(id)
                        .withSuspendGrace(Duration.ofMillis(200))
                        .withQuotas(org -> org.equals("acme") ? new OrgQuota(MAX_ACTIVE, null) : OrgQuota.UNLIMITED),
                Definitions.builder()
                        .workflow(WorkflowDefinition.of("nap", In.class, Out.class, (ctx, in) -> {
                            ctx.sleep(Duration.ofSeconds(in.seconds()));
                            return new Out(in.seconds());
                        }))
                        .build());
        nodes.add(engine);
        return engine;
    }

    @AfterEach
    void stop() {
        nodes.forEach(TernEngine::close);
        PostgresTestDatabase.drop(schema);
    }

    @Test
    void anOrganisationsQuotaHoldsAcrossNodesSchedulingAtOnce() throws Exception {
        TernEngine a = node("node-a");
        TernEngine b = node("node-b");
        List<Future<Boolean>> tries = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 40; i++) {
                TernEngine on = i % 2 == 0 ? a : b;
                tries.add(pool.submit(() -> {
                    try {
                        on.schedule(
                                RunnableDefinition.Kind.WORKFLOW,
                                "nap",
                                JsonNodeFactory.instance.objectNode().put("seconds", 3600),
                                RunOptions.none().withOrg("acme"));
                        return true;
                    } catch (QuotaExceededException e) {
                        return false;
                    }
                }));
            }
        }
        long accepted = 0;
        for (Future<Boolean> t : tries) if (t.get()) accepted++;
        assertThat(accepted).isEqualTo(MAX_ACTIVE);
        assertThat(a.runs(new RunQuery(null, null, null, 100, null).withOrg("acme"))
                        .runs())
                .hasSize(MAX_ACTIVE);
        assertThat(b.schedule(
                                RunnableDefinition.Kind.WORKFLOW,
                                "nap",
                                JsonNodeFactory.instance.objectNode().put("seconds", 1),
                                RunOptions.none().withOrg("globex"))
                        .orgId())
                .isEqualTo("globex");
    }
}
