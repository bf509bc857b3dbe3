package dev.tern.engine.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tern.engine.UnreadablePayloadException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapper of the engine: payloads are stored as JSON text and read back into user types. */
public final class Json {
    /**
     * Jackson recycles its parse and write buffers per thread by default, which a virtual thread (a run's) never
     * reuses: every payload read or written on one allocated fresh buffers. A shared pool recycles them across threads.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                    .build())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {}

    public static String write(Object value) {
        if (value instanceof JsonNode tree) {
            String text = TreeText.write(tree);
            if (text != null) return text;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** {@link #write}, with null for null (a SQL NULL rather than the text "null"). */
    public static String writeNullable(Object value) {
        return value == null ? null : write(value);
    }

    public static JsonNode tree(Object value) {
        return value == null ? null : MAPPER.valueToTree(value);
    }

    /**
     * Jackson parses a text of up to 32 Ki characters from an array it copies the text into, and a longer one through a
     * {@code StringReader} in chunks, where every string value that crosses a chunk takes its slow path: a run's input
     * of 100 KiB parsed in 186 µs. Parsed from the text's own array it takes 78.
     */
    private static final int CHUNKED_BY_JACKSON = 0x8000;

    public static JsonNode parse(String text) {
        if (text == null) return null;
        try {
            if (text.length() > CHUNKED_BY_JACKSON) {
                try (JsonParser parser = MAPPER.createParser(text.toCharArray())) {
                    JsonNode tree = MAPPER.readTree(parser);
                    if (tree != null) return tree;
                } // no value in the text at all: as the mapper reads that
            }
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("stored JSON is unreadable", e);
        }
    }

    /**
     * {@code tree} as {@link #parse} gives back {@code text}, its {@link #write}: a copy of a plain tree, without
     * parsing ({@link ParsedCopy}), else the text parsed.
     */
    public static JsonNode parsedBack(JsonNode tree, String text) {
        JsonNode copy = tree == null ? null : ParsedCopy.of(tree);
        return copy != null ? copy : parse(text);
    }

    /**
     * Reads JSON text into {@code type}; text that does not fit is an {@link UnreadablePayloadException} naming the
     * field.
     */
    public static <T> T read(String text, Class<T> type) {
        if (text == null) return null;
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new UnreadablePayloadException(ReadFailures.describe(e));
        }
    }

    /**
     * Reads a JSON value into {@code type}; a value that does not fit is an {@link UnreadablePayloadException} naming
     * the field and what it must be (never a Java type), which fails a run it happens in with an error clients can
     * read.
     */
    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new UnreadablePayloadException(ReadFailures.describe(e));
        }
    }
}
