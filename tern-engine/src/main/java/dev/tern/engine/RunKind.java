package dev.tern.engine;

import dev.tern.sdk.RunnableDefinition;
import java.util.Locale;
import java.util.Optional;

/**
 * What a run executes: an agent, a workflow, or one durable call ({@link CallKind}: a registered function as a
 * {@code tool}, or a tool of an external MCP server). Shown and stored by its {@link #wireName()}.
 */
public enum RunKind {
    AGENT,
    WORKFLOW,
    TOOL,
    MCP_SERVER;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /**
     * The kind as the API and the database spell it: {@code agent}, {@code workflow}, {@code tool}, {@code mcp_server}.
     */
    public String wireName() {
        return wire;
    }

    /** The kind whose wire name is {@code value}, if any. */
    public static Optional<RunKind> fromWire(String value) {
        for (RunKind k : ALL) if (k.wire.equals(value)) return Optional.of(k);
        return Optional.empty();
    }

    private static final RunKind[] ALL = values();

    /** The kind of a run of an agent or a workflow definition. */
    public static RunKind of(RunnableDefinition.Kind kind) {
        return switch (kind) {
            case AGENT -> AGENT;
            case WORKFLOW -> WORKFLOW;
        };
    }

    /** The kind of a run that makes one call. */
    public static RunKind of(CallKind kind) {
        return switch (kind) {
            case TOOL -> TOOL;
            case MCP_SERVER -> MCP_SERVER;
        };
    }
}
