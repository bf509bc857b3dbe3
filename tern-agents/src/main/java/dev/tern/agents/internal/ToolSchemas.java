package dev.tern.agents.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.tern.sdk.Nullable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema of a tool's argument record, as offered to the model, and the check of what the model sent against
 * it. Generated with the same rules as the engine's input schemas (a record component is required unless
 * {@link Nullable}; no extra properties), inlined, since a model reads one self-contained schema per tool.
 */
public final class ToolSchemas {
    private static final SchemaGenerator GENERATOR;
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    static {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(
                        SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
                .with(Option.INLINE_ALL_SCHEMAS)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        config.forFields()
                .withRequiredCheck(f -> f.getAnnotationConsideringFieldAndGetterIfSupported(Nullable.class) == null
                        && !f.getType().isInstanceOf(java.util.Optional.class));
        config.forTypesInGeneral()
                .withCustomDefinitionProvider((type, context) -> ToolNumberRanges.definitionOf(type.getErasedType()));
        GENERATOR = new SchemaGenerator(config.build());
    }

    private final ObjectNode schema;
    private final JsonSchema validator;

    public ToolSchemas(Class<?> argumentsType) {
        this(GENERATOR.generateSchema(argumentsType));
    }

    /** A schema given whole, such as an MCP tool's {@code inputSchema}. */
    public ToolSchemas(ObjectNode schema) {
        this.schema = schema.deepCopy();
        this.validator = FACTORY.getSchema(this.schema);
    }

    public ObjectNode schema() {
        return schema.deepCopy();
    }

    /**
     * The schema as LangChain4j offers it to the model: an object whose properties keep their generated schemas whole.
     */
    public JsonObjectSchema parameters(String description) {
        JsonObjectSchema.Builder b = JsonObjectSchema.builder()
                .additionalProperties(schema.path("additionalProperties").asBoolean(false));
        if (description != null) b.description(description);
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        schema.path("properties").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            b.addProperty(p.getKey(), JsonRawSchema.from(p.getValue().toString()));
        }
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        if (!required.isEmpty()) b.required(required);
        return b.build();
    }

    /** What is wrong with {@code arguments}, one line per problem naming the field; empty when they fit the schema. */
    public List<String> violations(JsonNode arguments) {
        return validator.validate(arguments).stream()
                .map(m -> {
                    String at = m.getInstanceLocation().toString();
                    String message = m.getMessage().replaceFirst("^\\$[^:]*: ", "");
                    return (at.isEmpty() ? "$" : at)
                            + (m.getProperty() != null && !at.endsWith("." + m.getProperty())
                                    ? "." + m.getProperty()
                                    : "")
                            + ": " + message;
                })
                .sorted()
                .toList();
    }
}
