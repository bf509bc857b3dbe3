package dev.tern.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Parses a request body as JSON under the door's limits, and says what is wrong in words of its own (never the
 * parser's, which name its classes and features). The one nesting limit of the API is {@link #MAX_NESTING_DEPTH} levels
 * of objects and arrays, the body itself being level 1: far below what the JSON writer (1000 levels) and the stores
 * handle, so whatever is accepted can be stored and rendered again inside the views that wrap it.
 */
final class JsonBodyParser {
    /** Deepest nesting of objects and arrays a body may have; the body's own object is level 1. */
    static final int MAX_NESTING_DEPTH = 100;

    /** Its parse buffers recycled across threads: each request is a virtual thread of its own. */
    private static final ObjectReader READER = new ObjectMapper(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .build())
                    .build())
            .reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodyParser() {}

    /** The JSON value of {@code bytes}, or a 400 problem saying where and how it is malformed. */
    static JsonNode parse(byte[] bytes) {
        JsonParser parser = null;
        try {
            parser = READER.createParser(bytes);
            return READER.readTree(parser);
        } catch (StreamConstraintsException e) {
            throw overLimit(e, parser);
        } catch (JsonProcessingException e) {
            throw ApiException.malformedJson("the body is not valid JSON: " + what(e) + where(e.getLocation()));
        } catch (IOException e) {
            throw ApiException.malformedJson("the body is not valid JSON");
        } finally {
            closeQuietly(parser);
        }
    }

    /** Hands the parser's buffers back to the pool (a body read to its end has done so already; one cut short not). */
    private static void closeQuietly(JsonParser parser) {
        if (parser == null) return;
        try {
            parser.close();
        } catch (IOException ignored) {
            // a byte array to close: nothing can fail that matters
        }
    }

    private static ApiException overLimit(StreamConstraintsException e, JsonParser parser) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Document nesting depth")) {
            return ApiException.badRequest(
                    path(parser, 1),
                    "nests objects and arrays deeper than " + MAX_NESTING_DEPTH
                            + " levels (the body itself is level 1), this server's limit");
        }
        String what = message.startsWith("Number value length")
                ? "is a number with more digits"
                : message.startsWith("String value length")
                        ? "is a string longer"
                        : message.startsWith("Name length") ? "has a member name longer" : "is larger";
        return ApiException.badRequest(path(parser, MAX_NESTING_DEPTH), what + " than this server accepts");
    }

    /** The JSON path where parsing stopped, at most {@code levels} members below the body ({@code $} if unknown). */
    private static String path(JsonParser parser, int levels) {
        if (parser == null) return "$";
        ArrayDeque<JsonStreamContext> chain = new ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent())
            chain.push(c);
        String path = "$";
        int depth = 0;
        for (JsonStreamContext c : chain) {
            if (depth++ == levels) break;
            if (c.inObject() && c.getCurrentName() != null) {
                path = JsonPaths.member(path, c.getCurrentName());
            } else if (c.inArray() && c.getCurrentIndex() >= 0) {
                path += "[" + c.getCurrentIndex() + "]";
            } else {
                break;
            }
        }
        return path;
    }

    private static String what(JsonProcessingException e) {
        if (e instanceof JsonEOFException) return "it ends before the JSON value is complete";
        if (e instanceof MismatchedInputException) return "there is more after the JSON value";
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Invalid UTF-8")) return "it is not valid UTF-8";
        if (message.startsWith("Illegal unquoted character"))
            return "a string holds a control character that is not escaped";
        if (message.startsWith("Unrecognized character escape")) return "a string holds an invalid escape sequence";
        if (message.contains("numeric value")
                || message.contains("Non-standard token")
                || message.contains("Leading zeroes")) {
            return "a number is not written as JSON allows";
        }
        if (message.startsWith("Unexpected close marker")) return "a closing bracket or brace does not match";
        if (message.startsWith("Unrecognized token")) return "unexpected text";
        return "unexpected character";
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) return "";
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
