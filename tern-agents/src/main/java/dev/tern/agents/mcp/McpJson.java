package dev.tern.agents.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JSON mapper and schema validator Tern hands the MCP SDK, on both sides. The validator is Tern's own (networknt's
 * 2020-12 validator, the version the engine uses) rather than the SDK's default, which needs another major version of
 * that library.
 */
public final class McpJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final McpJsonMapper JSON = new JacksonMcpJsonMapper(MAPPER);
    public static final JsonSchemaValidator VALIDATOR = new Validator();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private McpJson() {}

    private static final class Validator implements JsonSchemaValidator {
        @Override
        public ValidationResponse validate(java.util.Map<String, Object> schema, Object content) {
            try {
                JsonNode value = content instanceof String s ? MAPPER.readTree(s) : MAPPER.valueToTree(content);
                Set<ValidationMessage> errors =
                        FACTORY.getSchema(MAPPER.valueToTree(schema)).validate(value);
                if (errors.isEmpty()) return ValidationResponse.asValid(MAPPER.writeValueAsString(value));
                return ValidationResponse.asInvalid(errors.stream()
                        .map(ValidationMessage::getMessage)
                        .sorted()
                        .collect(Collectors.joining("; ")));
            } catch (Exception e) {
                return ValidationResponse.asInvalid("the content could not be validated: " + e.getMessage());
            }
        }
    }
}
