package dev.tern.sdk;

import java.util.regex.Pattern;

/** Checks an explicit definition version: 1 to 64 letters, digits, dots, dashes, underscores or colons. */
final class Versions {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private Versions() {}

    /** {@code value}, which may be null (no explicit version); anything else must be a valid version. */
    static String check(String value) {
        if (value != null && !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "version '" + value + "' must be 1 to 64 letters, digits, '.', '-', '_' or ':'");
        }
        return value;
    }
}
