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
import dev.tern.engine.Violation;
import dev.tern.sdk.Nullable;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schemas generated from the Java types of inputs, outputs and events, and validation of
 * incoming JSON against them. A record component is required unless marked {@link Nullable}.
 */
public final class TypeSchemas {
  private final SchemaGenerator generator;
  private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private final Map<Class<?>, ObjectNode> schemas = new ConcurrentHashMap<>();
  private final Map<Class<?>, JsonSchema> validators = new ConcurrentHashMap<>();
  private final Map<String, JsonSchema> bySchema = new ConcurrentHashMap<>();

  public TypeSchemas() {
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
            .with(Option.NULLABLE_FIELDS_BY_DEFAULT);
    config.forFields()
        .withRequiredCheck(field -> field.getAnnotationConsideringFieldAndGetterIfSupported(Nullable.class) == null
            && !field.getType().isInstanceOf(java.util.Optional.class));
    config.forFields()
        .withNullableCheck(field -> field.getAnnotationConsideringFieldAndGetterIfSupported(Nullable.class) != null);
    this.generator = new SchemaGenerator(config.build());
  }

  /** The JSON Schema of {@code type} (cached). */
  public ObjectNode schemaOf(Class<?> type) {
    return schemas.computeIfAbsent(type, generator::generateSchema).deepCopy();
  }

  /** The ways {@code value} breaks the schema of {@code type}, each naming the JSON path; empty if valid. */
  public List<Violation> validate(Class<?> type, JsonNode value) {
    JsonSchema schema = validators.computeIfAbsent(type, t -> factory.getSchema(schemas.computeIfAbsent(t, generator::generateSchema)));
    return violations(schema, value);
  }

  /** The ways {@code value} breaks {@code schema} (a JSON Schema given as JSON), each naming the JSON path. */
  public List<Violation> validate(JsonNode schema, JsonNode value) {
    JsonSchema compiled = bySchema.computeIfAbsent(schema.toString(), text -> factory.getSchema(schema));
    return violations(compiled, value);
  }

  private static List<Violation> violations(JsonSchema schema, JsonNode value) {
    return schema.validate(value).stream()
        .map(m -> new Violation(pathOf(m.getInstanceLocation().toString(), m.getProperty()), m.getMessage().replaceFirst("^\\$[^:]*: ", "")))
        .sorted(Comparator.comparing(Violation::field))
        .toList();
  }

  private static String pathOf(String location, String property) {
    String base = location.isEmpty() ? "$" : location;
    return property != null && !base.endsWith("." + property) ? base + "." + property : base;
  }
}
