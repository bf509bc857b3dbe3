package dev.tern.engine;

import java.util.Locale;

/**
 * Runs that make one durable call instead of running an agent or a workflow: {@code tool}, a registered function, and
 * {@code mcp_server}, a tool of an external MCP server (through the function registered for that server). The call is
 * the run's only step, checkpointed and retried by the function's policy; the run's kind is this wire name.
 */
public enum CallKind {
    TOOL,
    MCP_SERVER;

    private final String wire = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wire;
    }

    /** The kind whose wire name is {@code value}, if any. */
    public static java.util.Optional<CallKind> fromWire(String value) {
        for (CallKind k : values()) {
            if (k.wireName().equals(value)) return java.util.Optional.of(k);
        }
        return java.util.Optional.empty();
    }
}
