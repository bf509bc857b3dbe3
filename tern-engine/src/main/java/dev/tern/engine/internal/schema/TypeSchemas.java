package dev.tern.engine.internal.schema;

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
import dev.tern.engine.JsonSchemas;
import dev.tern.engine.UnreadablePayloadException;
import dev.tern.engine.Violation;
import dev.tern.engine.internal.json.Json;
import dev.tern.sdk.Nullable;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schemas generated from the Java types of inputs, outputs and events, and validation of incoming JSON against
 * them. A record component is required unless marked {@link Nullable}. Numbers carry the range of their Java type (an
 * {@code int} is an integer between -2^31 and 2^31-1, a {@code double} is finite), so a value that passes validation
 * also reads into its type; a map's values carry the schema of the value type.
 */
public final class TypeSchemas implements JsonSchemas {
    private final SchemaGenerator generator;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<Class<?>, ObjectNode> schemas = new ConcurrentHashMap<>();
    private final Map<Class<?>, JsonSchema> validators = new ConcurrentHashMap<>();
    private final Map<String, JsonSchema> bySchema = new ConcurrentHashMap<>();

    public TypeSchemas() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(
                        SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
                .with(Option.NULLABLE_FIELDS_BY_DEFAULT)
                .with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES);
        config.forTypesInGeneral()
                .withCustomDefinitionProvider((type, context) -> NumberRanges.definitionOf(type.getErasedType()));
        config.forFields()
                .withRequiredCheck(
                        field -> field.getAnnotationConsideringFieldAndGetterIfSupported(Nullable.class) == null
                                && !field.getType().isInstanceOf(java.util.Optional.class));
        config.forFields()
                .withNullableCheck(
                        field -> field.getAnnotationConsideringFieldAndGetterIfSupported(Nullable.class) != null);
        this.generator = new SchemaGenerator(config.build());
    }

    /** The JSON Schema of {@code type} (cached). */
    @Override
    public ObjectNode schemaOf(Class<?> type) {
        return schemas.computeIfAbsent(type, generator::generateSchema).deepCopy();
    }

    /**
     * The ways {@code value} breaks the schema of {@code type}, each naming the JSON path; empty if valid. A value that
     * fits the schema but still does not read into the type (a custom type's format, a constructor that refuses it) is
     * a violation too.
     */
    @Override
    public List<Violation> validate(Class<?> type, JsonNode value) {
        JsonSchema schema = validators.computeIfAbsent(
                type, t -> factory.getSchema(schemas.computeIfAbsent(t, generator::generateSchema)));
        List<Violation> violations = violations(schema, value);
        return violations.isEmpty() ? readable(type, value) : violations;
    }

    private static List<Violation> readable(Class<?> type, JsonNode value) {
        try {
            Json.convert(value, type);
            return List.of();
        } catch (UnreadablePayloadException e) {
            return List.of(e.violation());
        }
    }

    /** The ways {@code value} breaks {@code schema} (a JSON Schema given as JSON), each naming the JSON path. */
    @Override
    public List<Violation> validate(JsonNode schema, JsonNode value) {
        JsonSchema compiled = bySchema.computeIfAbsent(schema.toString(), text -> factory.getSchema(schema));
        return violations(compiled, value);
    }

    private static List<Violation> violations(JsonSchema schema, JsonNode value) {
        return schema.validate(value).stream()
                .map(m -> new Violation(
                        pathOf(m.getInstanceLocation().toString(), m.getProperty()),
                        m.getMessage().replaceFirst("^\\$[^:]*: ", "")))
                .sorted(Comparator.comparing(Violation::field))
                .toList();
    }

    private static String pathOf(String location, String property) {
        String base = location.isEmpty() ? "$" : location;
        return property != null && !base.endsWith("." + property) ? base + "." + property : base;
    }
}
