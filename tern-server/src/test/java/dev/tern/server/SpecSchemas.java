package dev.tern.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The seed specification (copied from shared/spec into test resources) as JSON Schema validators: the run record
 * schemas, and the component schemas of the Restack OpenAPI document.
 */
public final class SpecSchemas {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(
                    m -> m.mapPrefix("https://agent-service.spec/v1/schemas/", "classpath:spec/agent-service/")));
    private static final com.networknt.schema.SchemaValidatorsConfig FORMATS =
            com.networknt.schema.SchemaValidatorsConfig.builder()
                    .formatAssertionsEnabled(true)
                    .build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode OPENAPI = read("spec/restack-api.openapi.yaml", new ObjectMapper(new YAMLFactory()));

    private SpecSchemas() {}

    public static JsonSchema file(String name) {
        return FACTORY.getSchema(read("spec/" + name, JSON), FORMATS);
    }

    /** A schema under {@code components.schemas} of the Restack OpenAPI document. */
    public static JsonSchema restackComponent(String name) {
        return component(OPENAPI, name);
    }

    /** A component schema of any OpenAPI document, e.g. the server's own /openapi.json. */
    public static JsonSchema component(JsonNode openApi, String name) {
        ObjectNode schema =
                (ObjectNode) openApi.at("/components/schemas/" + name).deepCopy();
        if (schema.isMissingNode() || schema.isEmpty())
            throw new IllegalArgumentException("no component schema " + name);
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.set("components", openApi.get("components"));
        return FACTORY.getSchema(schema);
    }

    /** Validation errors as one readable string; empty when valid. */
    public static String errors(JsonSchema schema, JsonNode value) {
        Set<ValidationMessage> messages = schema.validate(value);
        return messages.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "));
    }

    private static JsonNode read(String resource, ObjectMapper mapper) {
        try (InputStream in = SpecSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource);
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
