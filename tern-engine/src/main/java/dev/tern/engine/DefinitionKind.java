package dev.tern.engine;

import dev.tern.sdk.RunnableDefinition;
import java.util.Locale;

/**
 * What a definition is: an agent or a workflow (which clients start runs of), or a function (which runs as a step of
 * them). Shown by its {@link #wireName()}.
 */
public enum DefinitionKind {
    AGENT,
    FUNCTION,
    WORKFLOW;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The kind as the API spells it: {@code agent}, {@code function}, {@code workflow}. */
    public String wireName() {
        return wire;
    }

    /** The kind of a definition that runs: an agent or a workflow. */
    public static DefinitionKind of(RunnableDefinition.Kind kind) {
        return switch (kind) {
            case AGENT -> AGENT;
            case WORKFLOW -> WORKFLOW;
        };
    }
}
