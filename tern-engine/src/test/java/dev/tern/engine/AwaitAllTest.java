package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.sdk.ChildFailedException;
import dev.tern.sdk.ChildRun;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code awaitAll} looks at the children it awaits together (one read for those that ended by the time it looks): each
 * await still gets its own child's end, in order, a failed child fails the await at its place, and a parent stopped
 * between its awaits resumes with the same outputs.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class AwaitAllTest {
    record Say(String text) {}

    static final StepOptions ONCE = StepOptions.defaults().withRetry(RetryPolicy.none());

    /** Odd children's steps wait for it. */
    static volatile CountDownLatch slow = new CountDownLatch(0);

    static final WorkflowDefinition<Say, Say> CHILD = WorkflowDefinition.of(
            "child",
            Say.class,
            Say.class,
            (ctx, in) -> new Say(ctx.step("add", ONCE, String.class, () -> {
                if (in.text().equals("fail")) throw new IllegalStateException("child asked to fail");
                int index = Integer.parseInt(in.text().substring(1));
                if (index % 2 == 1 && !slow.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("shut");
                return in.text() + "+";
            })));

    /** Starts a child for each word of its input, awaits them all, joins their outputs (or names the failed one). */
    static final WorkflowDefinition<Say, Say> PARENT =
            WorkflowDefinition.of("parent", Say.class, Say.class, (ctx, in) -> {
                List<ChildRun> children = new ArrayList<>();
                for (String word : in.text().split(" ")) children.add(ctx.startChild("child", new Say(word)));
                try {
                    return new Say(String.join(
                            ",",
                            ctx.awaitAll(children, Say.class).stream()
                                    .map(Say::text)
                                    .toList()));
                } catch (ChildFailedException e) {
                    return new Say("failed " + e.childRunId());
                }
            });

    static final Duration LIMIT = Duration.ofSeconds(30);

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;

    @AfterEach
    void stop() {
        slow.countDown();
        if (fixture != null) fixture.close();
    }

    TernEngine start() {
        if (fixture == null) fixture = new EngineFixture(store, dir);
        return fixture.start(
                Definitions.builder().workflow(CHILD).workflow(PARENT).build(),
                fixture.config().withSuspendGrace(Duration.ofSeconds(20)));
    }

    List<RunRecord> children(TernEngine engine, String parent) {
        return engine.runs(new RunQuery(null, null, null, 200, null).withParent(parent)).runs().stream()
                .sorted(Comparator.comparing(RunRecord::id))
                .toList();
    }

    /** The parent's awaits of its children, in order (its starts of them are child steps too). */
    static List<StepRecord> awaits(TernEngine engine, String parent) {
        return engine.steps(parent).stream()
                .filter(s -> s.kind() == StepKind.CHILD && s.output().has("status"))
                .toList();
    }

    long ended(TernEngine engine, String parent) {
        return children(engine, parent).stream()
                .filter(c -> c.status().isTerminal())
                .count();
    }

    @Test
    void eachAwaitGetsItsOwnChildsOutputInOrder() throws Exception {
        TernEngine engine = start();
        slow = new CountDownLatch(1);
        String id = engine.start("parent", new Say("c0 c1 c2 c3 c4 c5"));
        await().atMost(LIMIT).until(() -> ended(engine, id) == 3); // the even ones; the first await waits on c1
        slow.countDown();

        RunRecord done = engine.awaitCompletion(id, LIMIT);

        assertThat(done.output().path("text").asText()).isEqualTo("c0+,c1+,c2+,c3+,c4+,c5+");
        List<StepRecord> awaits = awaits(engine, id);
        List<String> childIds = children(engine, id).stream().map(RunRecord::id).toList();
        assertThat(awaits).hasSize(6);
        for (int i = 0; i < 6; i++) {
            assertThat(awaits.get(i).output().path("childRunId").asText()).isEqualTo(childIds.get(i));
            assertThat(awaits.get(i).output().path("output").path("text").asText())
                    .isEqualTo("c" + i + "+");
        }
    }

    @Test
    void moreChildrenThanOneLookReadsEachGetTheirOwnOutput() throws Exception {
        TernEngine engine = start();
        slow = new CountDownLatch(1);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 150; i++) words.add("c" + i);
        String id = engine.start("parent", new Say(String.join(" ", words)));
        await().atMost(LIMIT).until(() -> ended(engine, id) == 75);
        slow.countDown();

        RunRecord done = engine.awaitCompletion(id, LIMIT);

        assertThat(done.output().path("text").asText())
                .isEqualTo(String.join(",", words.stream().map(w -> w + "+").toList()));
        assertThat(awaits(engine, id)).hasSize(150);
    }

    @Test
    void aFailedChildFailsTheAwaitAtItsPlace() throws Exception {
        TernEngine engine = start();
        String id = engine.start("parent", new Say("c0 c2 fail c4"));

        RunRecord done = engine.awaitCompletion(id, LIMIT);

        String failed = children(engine, id).get(2).id();
        assertThat(done.output().path("text").asText()).isEqualTo("failed " + failed);
        assertThat(awaits(engine, id)).hasSize(3);
    }

    @Test
    void aParentStoppedBetweenItsAwaitsResumesWithTheSameOutputs() throws Exception {
        TernEngine engine = start();
        slow = new CountDownLatch(1);
        String id = engine.start("parent", new Say("c0 c2 c1 c4 c3"));
        await().atMost(LIMIT).until(() -> ended(engine, id) == 3); // c0 and c2 awaited, c1 awaited and waiting
        fixture.crash();
        slow.countDown();

        TernEngine restarted = start();
        RunRecord done = restarted.awaitCompletion(id, LIMIT);

        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().path("text").asText()).isEqualTo("c0+,c2+,c1+,c4+,c3+");
    }
}
