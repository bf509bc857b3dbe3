package dev.tern.sdk;

import java.util.Locale;

/**
 * What a step means to someone reading an agent's run: reasoning, a tool call and its result, a message, a handoff to
 * another agent, or a decision. Plain functions are {@code FUNCTION}.
 */
public enum StepType {
    FUNCTION,
    THOUGHT,
    TOOL_CALL,
    TOOL_RESULT,
    MESSAGE,
    HANDOFF,
    DECISION;

    private final String wire = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wire;
    }
}
