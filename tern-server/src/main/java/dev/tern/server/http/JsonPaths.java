package dev.tern.server.http;

/** JSON paths as problems name fields: {@code $.input.name}, {@code $.items[2]}, {@code $['odd name']}. */
final class JsonPaths {
    private JsonPaths() {}

    /** The path of member {@code name} of the object at {@code parent}. */
    static String member(String parent, String name) {
        if (!name.isEmpty() && name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-'))
            return parent + "." + name;
        return parent + "['" + escaped(name) + "']";
    }

    /** {@code text} with control characters, quotes, backslashes and lone surrogates written as {@code \\uXXXX}. */
    static String escaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c)
                            && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))
                    || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
            if (c < 0x20 || c == '\'' || c == '\\' || Character.isSurrogate(c) && !paired) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
