package dev.tern.bench;

import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.ChildRun;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.FunctionDefinition;
import dev.tern.sdk.WorkflowDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tern's versions of the bench workflows: {@value #STEPS} runs N no-op steps one after another, {@value #SLEEP} sleeps
 * one hour durably, {@value #WORK} runs three steps that each take {@link #WORK_STEP} (the recovery workload kills the
 * process while they are mid-flight, see {@link #stallWork}), {@value #DOCUMENT} runs three no-op steps with a document
 * in its input, {@value #CONVERSATION} calls a reply function with its conversation so far, turn after turn,
 * {@value #PARENT} starts child runs of {@value #STEPS} with one step each and awaits them all.
 */
final class BenchWorkflows {
    static final String STEPS = "bench-steps";
    static final String SLEEP = "bench-sleep";
    static final String WORK = "bench-work";
    static final String WAIT_AGENT = "bench-waiter";
    static final String PING = "ping";
    static final String DOCUMENT = "bench-document";
    static final String CONVERSATION = "bench-conversation";
    static final String PARENT = "bench-parent";
    static final Duration SLEEP_FOR = Duration.ofHours(1);
    static final Duration WORK_STEP = Duration.ofMillis(100);
    static final int WORK_STEPS = 3;

    /** Input: the index of the run (so inputs differ) and how many steps to run. */
    public record In(int index, int steps) {}

    /** Output: the sum of the step results (= the number of steps). */
    public record Out(int sum) {}

    static final WorkflowDefinition<In, Out> STEPS_WORKFLOW =
            WorkflowDefinition.of(STEPS, In.class, Out.class, (ctx, in) -> {
                int sum = 0;
                for (int i = 0; i < in.steps(); i++) sum += ctx.step("s" + i, Integer.class, () -> 1);
                return new Out(sum);
            });

    /** Input of {@value #DOCUMENT}: the index of the run and a document it is asked about (workload 10). */
    public record Document(int index, String text) {}

    /** {@value #STEPS}'s three no-op steps in a run whose input is a document; returns the document's length. */
    static final WorkflowDefinition<Document, Out> DOCUMENT_WORKFLOW =
            WorkflowDefinition.of(DOCUMENT, Document.class, Out.class, (ctx, in) -> {
                for (int i = 0; i < ThroughputWorkload.STEPS; i++) ctx.step("s" + i, Integer.class, () -> 1);
                return new Out(in.text().length());
            });

    /**
     * Input of {@value #CONVERSATION}: the index of the run, its turns and the length of each message (workload 11).
     */
    public record Chat(int index, int turns, int chars) {}

    /** One message of a conversation. */
    public record Message(String role, String content) {}

    /** What a model call gets: the conversation so far. */
    public record Conversation(List<Message> messages) {}

    /** A stand-in for a model: answers the last message with a message of the same length. */
    static final FunctionDefinition<Conversation, Message> REPLY =
            FunctionDefinition.of("reply", Conversation.class, Message.class, c -> {
                String last = c.messages().get(c.messages().size() - 1).content();
                return new Message("assistant", "re" + last.substring(2));
            });

    /**
     * An agent's loop as {@code LlmAgent} runs it: each turn adds the user's message, calls the model (here
     * {@link #REPLY}) with every message so far and adds its reply; returns the number of messages.
     */
    static final WorkflowDefinition<Chat, Out> CONVERSATION_WORKFLOW =
            WorkflowDefinition.of(CONVERSATION, Chat.class, Out.class, (ctx, in) -> {
                List<Message> messages = new ArrayList<>();
                for (int turn = 0; turn < in.turns(); turn++) {
                    String said =
                            (in.index() + "/" + turn + " ").repeat(in.chars()).substring(0, in.chars());
                    messages.add(new Message("user", said));
                    messages.add(ctx.call(REPLY, new Conversation(List.copyOf(messages))));
                }
                return new Out(messages.size());
            });

    /**
     * Starts {@code steps} children (runs of {@value #STEPS} of one step each), then awaits them all; returns the sum
     * of their sums (= the number of children). Workload 12.
     */
    static final WorkflowDefinition<In, Out> PARENT_WORKFLOW =
            WorkflowDefinition.of(PARENT, In.class, Out.class, (ctx, in) -> {
                List<ChildRun> children = new ArrayList<>(in.steps());
                for (int i = 0; i < in.steps(); i++) children.add(ctx.startChild(STEPS, new In(in.index(), 1)));
                return new Out(ctx.awaitAll(children, Out.class).stream()
                        .mapToInt(Out::sum)
                        .sum());
            });

    static final WorkflowDefinition<In, Out> SLEEP_WORKFLOW =
            WorkflowDefinition.of(SLEEP, In.class, Out.class, (ctx, in) -> {
                ctx.sleep(SLEEP_FOR);
                return new Out(0);
            });

    static final WorkflowDefinition<In, Out> WORK_WORKFLOW =
            WorkflowDefinition.of(WORK, In.class, Out.class, (ctx, in) -> {
                int sum = 0;
                for (int i = 0; i < WORK_STEPS; i++) sum += ctx.step("w" + i, Integer.class, BenchWorkflows::work);
                return new Out(sum);
            });

    /**
     * Set in the recovery workload's child JVM: its steps never finish, so every run is still in flight when the child
     * is killed (with 100 ms steps, most of 5,000 runs had completed while the last were being scheduled).
     */
    static volatile boolean stallWork;

    /** The simulated work of one recovery-workload step. */
    static int work() throws InterruptedException {
        Thread.sleep(stallWork ? Duration.ofDays(1) : WORK_STEP);
        return 1;
    }

    /**
     * An agent that waits for events and handles each {@value #PING} without a step (the scale workload sends them).
     */
    static final AgentDefinition<In, In, Out> WAITER = AgentDefinition.<In, In, Out>builder(
                    WAIT_AGENT, In.class, Out.class, in -> in)
            .on(PING, In.class, (ctx, state, event) -> state)
            .run((ctx, state, in) -> {
                ctx.waitUntil(() -> false);
                return new Out(0);
            });

    static Definitions definitions() {
        return Definitions.builder()
                .workflow(STEPS_WORKFLOW)
                .workflow(SLEEP_WORKFLOW)
                .workflow(WORK_WORKFLOW)
                .workflow(DOCUMENT_WORKFLOW)
                .workflow(CONVERSATION_WORKFLOW)
                .workflow(PARENT_WORKFLOW)
                .agent(WAITER)
                .build();
    }

    private BenchWorkflows() {}
}
