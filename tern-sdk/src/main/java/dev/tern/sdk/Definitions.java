package dev.tern.sdk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The set of functions, workflows and agents one engine or server runs. Workflow and agent names share one namespace,
 * since clients start runs by name. A workflow or agent may be registered in several revisions (old and new code
 * deployed together): new runs start on the newest (the last registered), runs in flight keep their own.
 */
public final class Definitions {
    private final Map<String, List<RunnableDefinition>> runnables;
    private final Map<String, FunctionDefinition<?, ?>> functions;

    private Definitions(
            Map<String, List<RunnableDefinition>> runnables, Map<String, FunctionDefinition<?, ?>> functions) {
        Map<String, List<RunnableDefinition>> copy = new LinkedHashMap<>();
        runnables.forEach((name, revisions) -> copy.put(name, List.copyOf(revisions)));
        this.runnables = java.util.Collections.unmodifiableMap(copy);
        this.functions = Map.copyOf(functions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The newest revision of the workflow or agent {@code name}. */
    public Optional<RunnableDefinition> runnable(String name) {
        List<RunnableDefinition> revisions = runnables.get(name);
        return revisions == null ? Optional.empty() : Optional.of(revisions.getLast());
    }

    /** The workflow or agent {@code name} in revision {@code revision}, if registered. */
    public Optional<RunnableDefinition> runnable(String name, String revision) {
        return revisions(name).stream()
                .filter(d -> d.revision().equals(revision))
                .findFirst();
    }

    /** Every registered revision of {@code name}, oldest first. */
    public List<RunnableDefinition> revisions(String name) {
        return runnables.getOrDefault(name, List.of());
    }

    /** The newest revision of each workflow and agent. */
    public Collection<RunnableDefinition> runnables() {
        return runnables.values().stream().map(List::getLast).toList();
    }

    /** Every revision of every workflow and agent. */
    public Collection<RunnableDefinition> allRevisions() {
        return runnables.values().stream().flatMap(List::stream).toList();
    }

    public Collection<FunctionDefinition<?, ?>> functions() {
        return functions.values();
    }

    /** Accumulates definitions; rejects a function name, or a workflow or agent revision, used twice. */
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
            List<RunnableDefinition> revisions = runnables.computeIfAbsent(definition.name(), n -> new ArrayList<>());
            for (RunnableDefinition existing : revisions) {
                if (existing.kind() != definition.kind()) {
                    throw new IllegalArgumentException("'" + definition.name() + "' is defined twice");
                }
                if (existing.revision().equals(definition.revision())) {
                    throw new IllegalArgumentException("'" + definition.name() + "' is defined twice in revision '"
                            + definition.revision() + "' (give each revision its own .version(...))");
                }
            }
            revisions.add(definition);
            return this;
        }

        public Definitions build() {
            return new Definitions(runnables, functions);
        }
    }
}
