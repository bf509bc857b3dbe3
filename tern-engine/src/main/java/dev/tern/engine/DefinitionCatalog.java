package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.schema.TypeSchemas;
import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.FunctionDefinition;
import dev.tern.sdk.RunnableDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The definitions an engine runs, with their generated JSON Schemas and input validation. */
public final class DefinitionCatalog {
  private final Definitions definitions;
  private final TypeSchemas schemas = new TypeSchemas();

  DefinitionCatalog(Definitions definitions) {
    this.definitions = definitions;
    definitions.runnables().forEach(d -> {
      schemas.schemaOf(d.inputType());
      schemas.schemaOf(d.outputType());
    });
  }

  /** The generator and validator of JSON Schemas the catalog uses. */
  public dev.tern.engine.internal.schema.TypeSchemas schemas() {
    return schemas;
  }

  public Optional<RunnableDefinition> find(String name) {
    return definitions.runnable(name);
  }

  /** The definition named {@code name}, which must be of {@code kind} when one is given. */
  public RunnableDefinition require(RunnableDefinition.Kind kind, String name) {
    return find(name)
        .filter(d -> kind == null || d.kind() == kind)
        .orElseThrow(() -> new UnknownDefinitionException(kind == null ? "agent or workflow" : kind.wireName(), name));
  }

  public void validateInput(RunnableDefinition definition, JsonNode input) {
    List<Violation> violations = schemas.validate(definition.inputType(), input);
    if (!violations.isEmpty()) {
      throw new InvalidInputException("input does not match the schema of " + definition.kind().wireName() + " '" + definition.name() + "'", violations);
    }
  }

  /** Checks that an agent handles {@code eventName} and that {@code input} fits the handler's type. */
  public void validateEvent(RunnableDefinition definition, String eventName, JsonNode input) {
    if (!(definition instanceof AgentDefinition<?, ?, ?> agent)) {
      return;
    }
    AgentDefinition.Handler<?, ?> handler = agent.handlers().get(eventName);
    if (handler == null) {
      throw new InvalidInputException("agent '" + agent.name() + "' has no handler for event '" + eventName + "'",
          List.of(new Violation("$.eventName", "must be one of " + agent.handlers().keySet().stream().sorted().toList())));
    }
    List<Violation> violations = schemas.validate(handler.eventType(), input);
    if (!violations.isEmpty()) {
      throw new InvalidInputException("eventInput does not match the schema of event '" + eventName + "'",
          violations.stream().map(v -> new Violation(v.field().replaceFirst("^\\$", "\\$.eventInput"), v.message())).toList());
    }
  }

  public List<DefinitionInfo> describe() {
    List<DefinitionInfo> out = new ArrayList<>();
    for (RunnableDefinition d : definitions.runnables()) {
      Map<String, JsonNode> events = new LinkedHashMap<>();
      if (d instanceof AgentDefinition<?, ?, ?> agent) {
        agent.handlers().values().stream().sorted(Comparator.comparing(AgentDefinition.Handler::eventName))
            .forEach(h -> events.put(h.eventName(), schemas.schemaOf(h.eventType())));
      }
      out.add(new DefinitionInfo(d.kind().wireName(), d.name(), schemas.schemaOf(d.inputType()), schemas.schemaOf(d.outputType()), events));
    }
    for (FunctionDefinition<?, ?> f : definitions.functions()) {
      out.add(new DefinitionInfo("function", f.name(), schemas.schemaOf(f.inputType()), schemas.schemaOf(f.outputType()), Map.of()));
    }
    out.sort(Comparator.comparing(DefinitionInfo::kind).thenComparing(DefinitionInfo::name));
    return out;
  }
}
