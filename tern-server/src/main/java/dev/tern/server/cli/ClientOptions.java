package dev.tern.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.TernJson;
import picocli.CommandLine.Option;

/** Where the server is and how to authenticate; shared by every client command. */
final class ClientOptions {
    @Option(
            names = "--url",
            defaultValue = "${env:TERN_URL:-http://localhost:6233}",
            description = "Server URL (env TERN_URL; default: ${DEFAULT-VALUE}).")
    String url;

    @Option(
            names = "--token",
            defaultValue = "${env:TERN_TOKEN:-${env:RESTACK_API_BEARER_TOKEN}}",
            description = "Bearer token (env TERN_TOKEN, else RESTACK_API_BEARER_TOKEN).")
    String token;

    ApiClient client() {
        return new ApiClient(url, token);
    }

    /** Parses a JSON object argument, or fails with exit code 2 naming the option. */
    static JsonNode jsonObject(String option, String text) {
        if (text == null) return JsonNodeFactory.instance.objectNode();
        JsonNode node = text.isBlank() ? null : json(option, text);
        if (node == null || !node.isObject())
            throw CliException.badArgument(option + " must be a JSON object, e.g. '{\"name\": \"Ada\"}'");
        return node;
    }

    /** Parses any JSON value argument, or fails with exit code 2 naming the option. */
    static JsonNode json(String option, String text) {
        try {
            // trailing text (e.g. a stray '}') must fail, not be silently dropped
            JsonNode node = TernJson.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(text);
            if (node == null || node.isMissingNode())
                throw CliException.badArgument(option + " is empty; give a JSON value");
            return node;
        } catch (JsonProcessingException e) {
            throw CliException.badArgument(option + " is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
