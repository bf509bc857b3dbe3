package dev.tern.sdk;

import java.util.regex.Pattern;

/** The rule every definition and event name follows, so it can appear in a URL path. */
final class Names {
    private static final Pattern VALID = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,127}");

    private Names() {}

    static String check(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "invalid name '" + name + "': use a letter, then letters, digits, '_', '.' or '-' (at most 128)");
        }
        return name;
    }
}
