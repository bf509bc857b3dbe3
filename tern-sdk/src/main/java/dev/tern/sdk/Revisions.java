package dev.tern.sdk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Revisions of definitions: an explicit version follows a strict pattern (it is stored with every run and matched by
 * nodes claiming work); a derived one is the first 12 hex digits of the SHA-256 of the definition's shape.
 */
final class Revisions {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private Revisions() {}

    /** {@code version} if it is a valid revision; null stays null (derived later). */
    static String check(String version) {
        if (version != null && !VALID.matcher(version).matches()) {
            throw new IllegalArgumentException("invalid version '" + version
                    + "': use a letter or digit, then letters, digits, '_', '.' or '-' (at most 64)");
        }
        return version;
    }

    /** A stable revision from the definition's kind, name, types and the extra parts (handlers' event names). */
    static String derive(RunnableDefinition.Kind kind, String name, Class<?> in, Class<?> out, Iterable<String> parts) {
        StringBuilder shape = new StringBuilder()
                .append(kind.wireName())
                .append('\n')
                .append(name)
                .append('\n')
                .append(in.getName())
                .append('\n')
                .append(out.getName());
        for (String part : parts) shape.append('\n').append(part);
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(shape.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
