package dev.tern.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.schema.TypeSchemas;
import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.RunnableDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The revision of every loaded agent and workflow: its explicit {@code version}, else derived — the first 12 hex digits
 * of the SHA-256 of its kind, name, input and output JSON Schemas and, for an agent, its events' names and schemas. The
 * derived revision changes when the contract changes, not when the body does: a body change that alters the steps needs
 * an explicit version (or {@code ctx.patched}).
 */
final class DefinitionRevisions {
    private static final int DERIVED_HEX_DIGITS = 12;

    private final Map<RunnableDefinition, String> byDefinition = new IdentityHashMap<>();
    private final Map<String, RunnableDefinition> byNameAndRevision = new LinkedHashMap<>();
    private final Set<String> all;

    DefinitionRevisions(Definitions definitions, TypeSchemas schemas) {
        Set<String> revisions = new LinkedHashSet<>();
        for (RunnableDefinition d : definitions.allRevisions()) {
            String revision = d.version() != null ? d.version() : derive(d, schemas);
            if (byNameAndRevision.putIfAbsent(d.name() + "@" + revision, d) != null) {
                throw new IllegalArgumentException(
                        "'" + d.name() + "' is defined twice in revision '" + revision + "'");
            }
            byDefinition.put(d, revision);
            revisions.add(revision);
        }
        this.all = Set.copyOf(revisions);
    }

    String of(RunnableDefinition definition) {
        return byDefinition.get(definition);
    }

    Optional<RunnableDefinition> find(String name, String revision) {
        return Optional.ofNullable(byNameAndRevision.get(name + "@" + revision));
    }

    Set<String> all() {
        return all;
    }

    static String derive(RunnableDefinition d, TypeSchemas schemas) {
        ObjectNode shape = JsonNodeFactory.instance.objectNode();
        shape.put("kind", d.kind().wireName());
        shape.put("name", d.name());
        shape.set("input", schemas.schemaOf(d.inputType()));
        shape.set("output", schemas.schemaOf(d.outputType()));
        if (d instanceof AgentDefinition<?, ?, ?> agent) {
            ObjectNode events = shape.putObject("events");
            agent.handlers().values().stream()
                    .sorted(java.util.Comparator.comparing(AgentDefinition.Handler::eventName))
                    .forEach(h -> events.set(h.eventName(), schemas.schemaOf(h.eventType())));
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(shape).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, DERIVED_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
