package dev.tern.engine.internal.json;

import com.fasterxml.jackson.core.io.CharTypes;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Writes a tree of plain JSON values (objects, arrays, strings, booleans, nulls, integers and finite doubles) as the
 * mapper writes it, character for character, without the mapper's per-call machinery: a generator, its context, a
 * serializer provider and an output buffer for every value, some 1 KB of garbage each. The engine writes such trees for
 * every history event and step (their data, a step's input and output), several times a step; the mapper's machinery
 * was a sixth of the heap a workflow allocated. Any other node (binary, a wrapped object, a big or non-finite number)
 * is left to the mapper. Strings are escaped with the mapper's escapes (Jackson's table of them), and copied in runs:
 * Jackson's encoder appends a string to a builder one character at a time, a fifth of the CPU of a run whose input is a
 * 100 KiB document.
 */
final class TreeText {
    /**
     * For each ASCII character, how the mapper escapes it: 0 not at all, a letter or the character itself after a
     * backslash (n for a newline, the quote itself for a quote), or -1 as a backslash, u and four hex digits.
     */
    private static final int[] ESCAPES = CharTypes.get7BitOutputEscapes();

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Strings up to this long are scanned character by character, longer ones in chunks of {@link #CHUNK}. */
    private static final int SHORT = 64;

    private static final int CHUNK = 2048;

    /** Deeper trees are left to the mapper, which applies its own limit on nesting ({@link ParsedCopy} parses them). */
    static final int MAX_DEPTH = 100;

    private TreeText() {}

    /** The tree as compact JSON text, or null if it holds a value this writer leaves to the mapper. */
    static String write(JsonNode tree) {
        StringBuilder out = new StringBuilder(64);
        return append(tree, out, 0) ? out.toString() : null;
    }

    private static boolean append(JsonNode node, StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) return false;
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    if (!first) out.append(',');
                    first = false;
                    quote(field.getKey(), out);
                    out.append(':');
                    if (!append(field.getValue(), out, depth + 1)) return false;
                }
                out.append('}');
                return true;
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) out.append(',');
                    if (!append(node.get(i), out, depth + 1)) return false;
                }
                out.append(']');
                return true;
            }
            case STRING -> {
                quote(node.textValue(), out);
                return true;
            }
            case NUMBER -> {
                return number(node, out);
            }
            case BOOLEAN -> {
                out.append(node.booleanValue());
                return true;
            }
            case NULL -> {
                out.append("null");
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean number(JsonNode node, StringBuilder out) {
        if (node.isInt() || node.isLong() || node.isShort()) {
            out.append(node.longValue());
            return true;
        }
        if (node.isDouble() && Double.isFinite(node.doubleValue())) {
            out.append(Double.toString(node.doubleValue()));
            return true;
        }
        return false;
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"');
        int n = text.length();
        int plain = 0; // where the characters not yet copied begin
        if (n <= SHORT) {
            for (int i = 0; i < n; i++) {
                char c = text.charAt(i);
                if (c < ESCAPES.length && ESCAPES[c] != 0) plain = escape(text, plain, i, out);
            }
        } else {
            // a long string is scanned in chunks of its characters: a char array scans in half the time charAt does
            char[] chunk = new char[Math.min(n, CHUNK)];
            for (int from = 0; from < n; from += chunk.length) {
                int length = Math.min(chunk.length, n - from);
                text.getChars(from, from + length, chunk, 0);
                for (int j = 0; j < length; j++) {
                    char c = chunk[j];
                    if (c < ESCAPES.length && ESCAPES[c] != 0) plain = escape(text, plain, from + j, out);
                }
            }
        }
        out.append(text, plain, n).append('"');
    }

    /** Copies the characters from {@code plain} to {@code at}, then escapes the one at {@code at}; returns past it. */
    private static int escape(String text, int plain, int at, StringBuilder out) {
        char c = text.charAt(at);
        out.append(text, plain, at).append('\\');
        int escape = ESCAPES[c];
        if (escape > 0) out.append((char) escape);
        else out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
        return at + 1;
    }
}
