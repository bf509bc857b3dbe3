package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.tern.engine.internal.json.Json;

/**
 * JSON as Tern writes and reads it: times as ISO-8601 text, unknown properties ignored when reading. Use it where JSON
 * you produce or read must match the engine's payloads (a server's responses, a client's requests), so that both sides
 * agree without copying the configuration.
 */
public final class TernJson {
    private TernJson() {}

    /** A new mapper configured like the engine's; yours to configure further (the engine's own is never handed out). */
    public static ObjectMapper newMapper() {
        return Json.MAPPER.copy();
    }

    /** A reader configured like the engine's (immutable, shareable). */
    public static ObjectReader reader() {
        return Json.MAPPER.reader();
    }

    /** A writer configured like the engine's (immutable, shareable). */
    public static ObjectWriter writer() {
        return Json.MAPPER.writer();
    }

    /** {@code value} as JSON text. */
    public static String write(Object value) {
        return Json.write(value);
    }

    /** {@code value} as a JSON tree; {@code null} for {@code null}. */
    public static JsonNode tree(Object value) {
        return Json.tree(value);
    }

    /**
     * Reads a JSON value into {@code type}; a value that does not fit is an {@link UnreadablePayloadException} naming
     * the field and what it must be.
     */
    public static <T> T convert(JsonNode node, Class<T> type) {
        return Json.convert(node, type);
    }
}
