package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.sdk.RunnableDefinition;
import java.util.Objects;

/**
 * One run to schedule, as {@link TernEngine#scheduleAll} takes them: an agent or workflow by {@code name} (of
 * {@code kind}, if given), or, with {@code call} non-null, one durable call of a registered function or of an MCP
 * server's function; its input ({@code null}: an empty object) and options, each with its own idempotency key.
 */
public record RunRequest(RunnableDefinition.Kind kind, CallKind call, String name, JsonNode input, RunOptions options) {
    /** The most runs one batch may schedule. */
    public static final int MAX_BATCH = 1_000;

    public RunRequest {
        Objects.requireNonNull(name, "name");
        if (kind != null && call != null) throw new IllegalArgumentException("give a kind or a call, not both");
        if (options == null) options = RunOptions.none();
    }

    /** A run of the agent or workflow {@code name}; {@code kind} (if given) must match. */
    public static RunRequest of(RunnableDefinition.Kind kind, String name, JsonNode input, RunOptions options) {
        return new RunRequest(kind, null, name, input, options);
    }

    /** A run that makes one call of the function {@code name} of {@code call}'s kind. */
    public static RunRequest call(CallKind call, String name, JsonNode input, RunOptions options) {
        return new RunRequest(null, call, name, input, options);
    }
}
