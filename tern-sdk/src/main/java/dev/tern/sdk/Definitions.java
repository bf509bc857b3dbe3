package dev.tern.sdk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The set of functions, workflows and agents one engine or server runs. Workflow and agent names share one namespace,
 * since clients start runs by name. One name may be registered in several revisions (old and new code deployed side by
 * side, each with its own {@code version}): new runs start on the one registered last, and a run replays on the
 * revision it started on.
 */
public final class Definitions {
    private final Map<String, List<RunnableDefinition>> runnables;
    private final Map<String, FunctionDefinition<?, ?>> functions;

    private Definitions(
            Map<String, List<RunnableDefinition>> runnables, Map<String, FunctionDefinition<?, ?>> functions) {
        Map<String, List<RunnableDefinition>> copy = new LinkedHashMap<>();
        runnables.forEach((name, all) -> copy.put(name, List.copyOf(all)));
        this.runnables = java.util.Collections.unmodifiableMap(copy);
        this.functions = Map.copyOf(functions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The newest revision (the last registered) of the workflow or agent named {@code name}. */
    public Optional<RunnableDefinition> runnable(String name) {
        List<RunnableDefinition> all = runnables.get(name);
        return all == null ? Optional.empty() : Optional.of(all.getLast());
    }

    /** The newest revision of every workflow and agent, in the order registered. */
    public Collection<RunnableDefinition> runnables() {
        return runnables.values().stream().map(List::getLast).toList();
    }

    /** Every revision of the workflow or agent named {@code name}, oldest first; empty when there is none. */
    public List<RunnableDefinition> revisions(String name) {
        return runnables.getOrDefault(name, List.of());
    }

    /** Every revision of every workflow and agent. */
    public Collection<RunnableDefinition> allRevisions() {
        return runnables.values().stream().flatMap(List::stream).toList();
    }

    public Collection<FunctionDefinition<?, ?>> functions() {
        return functions.values();
    }

    /** Accumulates definitions; rejects a name used twice with the same version (or twice without one). */
    public static final class Builder {
        private final Map<String, List<RunnableDefinition>> runnables = new LinkedHashMap<>();
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
            other.allRevisions().forEach(this::runnable);
            other.functions.values().forEach(this::function);
            return this;
        }

        private Builder runnable(RunnableDefinition definition) {
            List<RunnableDefinition> all = runnables.computeIfAbsent(definition.name(), n -> new ArrayList<>());
            if (all.stream()
                    .anyMatch(
                            d -> d.kind() != definition.kind() || Objects.equals(d.version(), definition.version()))) {
                throw new IllegalArgumentException("'" + definition.name() + "' is defined twice"
                        + (definition.version() == null ? "" : " in version '" + definition.version() + "'"));
            }
            all.add(definition);
            return this;
        }

        public Definitions build() {
            return new Definitions(runnables, functions);
        }
    }
}
