package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.schema.TypeSchemas;
import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.FunctionDefinition;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.WorkflowDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The definitions an engine runs, with their generated JSON Schemas and input validation. Besides agents and workflows
 * it resolves the functions behind {@link CallKind} runs: the registered functions ({@code tool}) and one function per
 * configured MCP server ({@code mcp_server}).
 */
public final class DefinitionCatalog {
    private final Definitions definitions;
    private final Map<String, FunctionDefinition<?, ?>> mcpServers;
    private final TypeSchemas schemas = new TypeSchemas();
    /** The one-step workflow each call run executes, by kind and name. */
    private final Map<String, RunnableDefinition> callWorkflows = new ConcurrentHashMap<>();

    DefinitionCatalog(Definitions definitions, Map<String, FunctionDefinition<?, ?>> mcpServers) {
        this.definitions = definitions;
        this.mcpServers = Map.copyOf(mcpServers);
        definitions.allRevisions().forEach(d -> {
            schemas.schemaOf(d.inputType());
            schemas.schemaOf(d.outputType());
        });
    }

    /**
     * The run of {@code kind} ({@code agent}, {@code workflow}, or a {@link CallKind}; null: agent or workflow) named
     * {@code name}.
     */
    Optional<RunnableDefinition> find(String kind, String name) {
        return find(kind, name, null);
    }

    /** Like {@link #find(String, String)}, in revision {@code revision} (null: the newest) for an agent or workflow. */
    Optional<RunnableDefinition> find(String kind, String name, String revision) {
        Optional<CallKind> call = CallKind.fromWire(kind);
        if (call.isEmpty()) return revision == null ? find(name) : definitions.runnable(name, revision);
        return function(call.get(), name).map(f -> callWorkflows.computeIfAbsent(kind + "/" + name, k -> oneCall(f)));
    }

    /** The function a run of {@code kind} named {@code name} calls, if there is one. */
    public Optional<FunctionDefinition<?, ?>> function(CallKind kind, String name) {
        return Optional.ofNullable(
                switch (kind) {
                    case TOOL ->
                        definitions.functions().stream()
                                .filter(f -> f.name().equals(name))
                                .findFirst()
                                .orElse(null);
                    case MCP_SERVER -> mcpServers.get(name);
                });
    }

    /** The names of the MCP servers this node can call, sorted. */
    public List<String> mcpServers() {
        return mcpServers.keySet().stream().sorted().toList();
    }

    /** Checks a call run's input against its function's input type. */
    public void validateCallInput(CallKind kind, FunctionDefinition<?, ?> function, JsonNode input) {
        List<Violation> violations = schemas.validate(function.inputType(), input);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(
                    "input does not match the schema of " + kind.wireName() + " '" + function.name() + "'", violations);
        }
    }

    /**
     * What is wrong with {@code value} under the JSON Schema {@code schema}, one violation per field; empty when it
     * fits.
     */
    public List<Violation> validate(JsonNode schema, JsonNode value) {
        return schemas.validate(schema, value);
    }

    private static <I, O> RunnableDefinition oneCall(FunctionDefinition<I, O> function) {
        return WorkflowDefinition.of(
                function.name(),
                function.inputType(),
                function.outputType(),
                (ctx, input) -> ctx.call(function, input));
    }

    /** The generator and validator of JSON Schemas the catalog uses. */
    public JsonSchemas schemas() {
        return schemas;
    }

    public Optional<RunnableDefinition> find(String name) {
        return definitions.runnable(name);
    }

    /** The definition named {@code name}, which must be of {@code kind} when one is given. */
    public RunnableDefinition require(RunnableDefinition.Kind kind, String name) {
        return find(name)
                .filter(d -> kind == null || d.kind() == kind)
                .orElseThrow(() ->
                        new UnknownDefinitionException(kind == null ? "agent or workflow" : kind.wireName(), name));
    }

    public void validateInput(RunnableDefinition definition, JsonNode input) {
        List<Violation> violations = schemas.validate(definition.inputType(), input);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(
                    "input does not match the schema of " + definition.kind().wireName() + " '" + definition.name()
                            + "'",
                    violations);
        }
    }

    /** Checks that an agent handles {@code eventName} and that {@code input} fits the handler's type. */
    public void validateEvent(RunnableDefinition definition, String eventName, JsonNode input) {
        if (!(definition instanceof AgentDefinition<?, ?, ?> agent)) {
            return;
        }
        AgentDefinition.Handler<?, ?> handler = agent.handlers().get(eventName);
        if (handler == null) {
            throw new InvalidInputException(
                    "agent '" + agent.name() + "' has no handler for event '" + eventName + "'",
                    List.of(new Violation(
                            "$.eventName",
                            "must be one of "
                                    + agent.handlers().keySet().stream()
                                            .sorted()
                                            .toList())));
        }
        List<Violation> violations = schemas.validate(handler.eventType(), input);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(
                    "eventInput does not match the schema of event '" + eventName + "'",
                    violations.stream()
                            .map(v -> new Violation(v.field().replaceFirst("^\\$", "\\$.eventInput"), v.message()))
                            .toList());
        }
    }

    /** Every revision loaded here of each agent and workflow, by name: what this node can claim. */
    public Map<String, List<String>> loadedRevisions() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (RunnableDefinition d : definitions.allRevisions())
            out.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(d.revision());
        return out;
    }

    /** The agent or workflow {@code name} in {@code revision}, if loaded here. */
    public Optional<RunnableDefinition> findRevision(String name, String revision) {
        return definitions.runnable(name, revision);
    }

    public List<DefinitionInfo> describe() {
        List<DefinitionInfo> out = new ArrayList<>();
        for (RunnableDefinition d : definitions.runnables()) {
            Map<String, JsonNode> events = new LinkedHashMap<>();
            if (d instanceof AgentDefinition<?, ?, ?> agent) {
                agent.handlers().values().stream()
                        .sorted(Comparator.comparing(AgentDefinition.Handler::eventName))
                        .forEach(h -> events.put(h.eventName(), schemas.schemaOf(h.eventType())));
            }
            out.add(new DefinitionInfo(
                    DefinitionKind.of(d.kind()),
                    d.name(),
                    schemas.schemaOf(d.inputType()),
                    schemas.schemaOf(d.outputType()),
                    events,
                    d.revision(),
                    definitions.revisions(d.name()).stream()
                            .map(RunnableDefinition::revision)
                            .toList()));
        }
        for (FunctionDefinition<?, ?> f : definitions.functions()) {
            out.add(new DefinitionInfo(
                    DefinitionKind.FUNCTION,
                    f.name(),
                    schemas.schemaOf(f.inputType()),
                    schemas.schemaOf(f.outputType()),
                    Map.of(),
                    null,
                    List.of()));
        }
        out.sort(Comparator.comparing((DefinitionInfo d) -> d.kind().wireName()).thenComparing(DefinitionInfo::name));
        return out;
    }
}
