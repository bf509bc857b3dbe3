package dev.tern.sdk;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The set of functions, workflows and agents one engine or server runs. Workflow and agent names share one namespace,
 * since clients start runs by name.
 */
public final class Definitions {
    private final Map<String, RunnableDefinition> runnables;
    private final Map<String, FunctionDefinition<?, ?>> functions;

    private Definitions(Map<String, RunnableDefinition> runnables, Map<String, FunctionDefinition<?, ?>> functions) {
        this.runnables = Map.copyOf(runnables);
        this.functions = Map.copyOf(functions);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<RunnableDefinition> runnable(String name) {
        return Optional.ofNullable(runnables.get(name));
    }

    public Collection<RunnableDefinition> runnables() {
        return runnables.values();
    }

    public Collection<FunctionDefinition<?, ?>> functions() {
        return functions.values();
    }

    /** Accumulates definitions; rejects a name used twice. */
    public static final class Builder {
        private final Map<String, RunnableDefinition> runnables = new LinkedHashMap<>();
        private final Map<String, FunctionDefinition<?, ?>> functions = new LinkedHashMap<>();

        private Builder() {}

        public Builder workflow(WorkflowDefinition<?, ?> workflow) {
            return runnable(workflow);
        }

        public Builder agent(AgentDefinition<?, ?, ?> agent) {
            return runnable(agent);
        }

        public Builder function(FunctionDefinition<?, ?> function) {
            if (functions.putIfAbsent(function.name(), function) != null) {
                throw new IllegalArgumentException("function '" + function.name() + "' is defined twice");
            }
            return this;
        }

        public Builder addAll(Definitions other) {
            other.runnables.values().forEach(this::runnable);
            other.functions.values().forEach(this::function);
            return this;
        }

        private Builder runnable(RunnableDefinition definition) {
            if (runnables.putIfAbsent(definition.name(), definition) != null) {
                throw new IllegalArgumentException("'" + definition.name() + "' is defined twice");
            }
            return this;
        }

        public Definitions build() {
            return new Definitions(runnables, functions);
        }
    }
}
