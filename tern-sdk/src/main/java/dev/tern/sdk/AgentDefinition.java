package dev.tern.sdk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A long-running agent in Restack's model: state created from the input, named event handlers ({@code messages},
 * {@code end}, any name) that run steps and update the state, and a run loop that waits on a condition. Events are
 * delivered durably and in order; on replay they are fed back in the same order, so the state is rebuilt exactly.
 *
 * @param <I> input type
 * @param <S> state type (kept in memory, rebuilt by replay)
 * @param <O> output type
 */
public record AgentDefinition<I, S, O>(
        String name,
        Class<I> inputType,
        Class<O> outputType,
        Function<I, S> initialState,
        Map<String, Handler<S, ?>> handlers,
        AgentLoop<I, S, O> loop,
        String webhookUrl,
        Budget budget,
        boolean requiresModel,
        String description,
        String revision)
        implements RunnableDefinition {

    /** One event handler and the type its event input is read as. */
    public record Handler<S, E>(String eventName, Class<E> eventType, EventHandler<S, E> body) {
        public Handler {
            Names.check(eventName);
            Objects.requireNonNull(eventType, "eventType");
            Objects.requireNonNull(body, "body");
        }
    }

    public AgentDefinition {
        Names.check(name);
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(outputType, "outputType");
        Objects.requireNonNull(initialState, "initialState");
        Objects.requireNonNull(loop, "loop");
        handlers = Map.copyOf(handlers);
        WebhookUrls.check(webhookUrl);
        if (budget == null) budget = Budget.NONE;
        if (description != null && description.isBlank()) description = null;
        revision = Revisions.check(revision);
        if (revision == null)
            revision = Revisions.derive(
                    Kind.AGENT,
                    name,
                    inputType,
                    outputType,
                    handlers.keySet().stream().sorted().toList());
    }

    /** An agent whose revision is derived from its name, types and the events it handles. */
    public AgentDefinition(
            String name,
            Class<I> inputType,
            Class<O> outputType,
            Function<I, S> initialState,
            Map<String, Handler<S, ?>> handlers,
            AgentLoop<I, S, O> loop,
            String webhookUrl,
            Budget budget,
            boolean requiresModel,
            String description) {
        this(
                name,
                inputType,
                outputType,
                initialState,
                handlers,
                loop,
                webhookUrl,
                budget,
                requiresModel,
                description,
                null);
    }

    /**
     * The same agent, whose runs POST their status changes to {@code url} unless scheduled with a webhook URL of their
     * own.
     */
    public AgentDefinition<I, S, O> withWebhookUrl(String url) {
        return new AgentDefinition<>(
                name,
                inputType,
                outputType,
                initialState,
                handlers,
                loop,
                url,
                budget,
                requiresModel,
                description,
                revision);
    }

    /** The same agent as revision {@code value}; see {@link Builder#version(String)}. */
    public AgentDefinition<I, S, O> withVersion(String value) {
        if (value == null) throw new IllegalArgumentException("version must not be null");
        return new AgentDefinition<>(
                name,
                inputType,
                outputType,
                initialState,
                handlers,
                loop,
                webhookUrl,
                budget,
                requiresModel,
                description,
                Revisions.check(value));
    }

    @Override
    public Kind kind() {
        return Kind.AGENT;
    }

    public static <I, S, O> Builder<I, S, O> builder(
            String name, Class<I> inputType, Class<O> outputType, Function<I, S> initialState) {
        return new Builder<>(name, inputType, outputType, initialState);
    }

    /** Collects an agent's handlers and run loop. */
    public static final class Builder<I, S, O> {
        private final String name;
        private final Class<I> inputType;
        private final Class<O> outputType;
        private final Function<I, S> initialState;
        private final Map<String, Handler<S, ?>> handlers = new LinkedHashMap<>();
        private String webhookUrl;
        private Budget budget = Budget.NONE;
        private boolean requiresModel;
        private String description;
        private String version;

        private Builder(String name, Class<I> inputType, Class<O> outputType, Function<I, S> initialState) {
            this.name = name;
            this.inputType = inputType;
            this.outputType = outputType;
            this.initialState = initialState;
        }

        public <E> Builder<I, S, O> on(String eventName, Class<E> eventType, EventHandler<S, E> body) {
            if (handlers.putIfAbsent(eventName, new Handler<>(eventName, eventType, body)) != null) {
                throw new IllegalArgumentException("agent '" + name + "' already handles event '" + eventName + "'");
            }
            return this;
        }

        /** Where runs of this agent report their status changes by default (a run's own webhook URL wins). */
        public Builder<I, S, O> webhookUrl(String url) {
            this.webhookUrl = WebhookUrls.check(url);
            return this;
        }

        /** What each run may spend on model calls unless scheduled with a budget of its own. */
        public Builder<I, S, O> budget(Budget value) {
            this.budget = java.util.Objects.requireNonNull(value, "budget");
            return this;
        }

        /** Marks the agent as calling a language model: scheduling it on a node with none configured is refused. */
        public Builder<I, S, O> requiresModel() {
            this.requiresModel = true;
            return this;
        }

        /** What the agent does, for people and for models choosing a tool (over MCP, say). */
        public Builder<I, S, O> description(String value) {
            this.description = value;
            return this;
        }

        /**
         * The agent's revision (e.g. {@code "2026-12-01"}); without one it is derived from its name, types and events.
         * Runs started on a revision keep replaying on it, so old and new code may be registered side by side.
         */
        public Builder<I, S, O> version(String value) {
            if (value == null) throw new IllegalArgumentException("version must not be null");
            this.version = Revisions.check(value);
            return this;
        }

        public AgentDefinition<I, S, O> run(AgentLoop<I, S, O> loop) {
            return new AgentDefinition<>(
                    name,
                    inputType,
                    outputType,
                    initialState,
                    handlers,
                    loop,
                    webhookUrl,
                    budget,
                    requiresModel,
                    description,
                    version);
        }
    }
}
