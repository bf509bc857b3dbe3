package dev.tern.engine;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Refuses scheduling options that could never work, naming each bad field. */
final class RunOptionsCheck {
    private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:\\-]{0,199}$");

    private RunOptionsCheck() {}

    static void validate(RunOptions options, Instant now) {
        List<Violation> violations = new ArrayList<>();
        if (options.idempotencyKey() != null
                && !TOKEN.matcher(options.idempotencyKey()).matches()) {
            violations.add(new Violation("idempotencyKey", "must be 1-200 letters, digits, '.', '_', ':' or '-'"));
        }
        if (options.threadId() != null && !TOKEN.matcher(options.threadId()).matches()) {
            violations.add(new Violation("threadId", "must be 1-200 letters, digits, '.', '_', ':' or '-'"));
        }
        if (options.deadlineAt() != null && !options.deadlineAt().isAfter(now)) {
            violations.add(new Violation("deadlineAt", "must be in the future, was " + options.deadlineAt()));
        }
        if (options.webhookUrl() != null && !isHttpUrl(options.webhookUrl())) {
            violations.add(new Violation(
                    "webhookUrl", "must be an absolute http or https URL, was '" + options.webhookUrl() + "'"));
        }
        if (!violations.isEmpty()) throw new InvalidInputException("invalid run options", violations);
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The options with who asked for the run ({@link RequestedBy}) added to its {@code caller} as {@code by}. */
    static RunOptions withRequester(RunOptions options) {
        String by = RequestedBy.current();
        if (by == null) return options;
        com.fasterxml.jackson.databind.node.ObjectNode caller =
                options.caller() != null && options.caller().isObject()
                        ? ((com.fasterxml.jackson.databind.node.ObjectNode) options.caller()).deepCopy()
                        : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        return options.withCaller(caller.put("by", by));
    }
}
