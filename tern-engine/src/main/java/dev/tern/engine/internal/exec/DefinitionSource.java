package dev.tern.engine.internal.exec;

import dev.tern.sdk.RunnableDefinition;
import java.util.Optional;
import java.util.Set;

/** The definitions a node executes, by revision. */
public interface DefinitionSource {
    /** The run of {@code kind} (null: agent or workflow) named {@code name}: the newest revision. */
    Optional<RunnableDefinition> find(String kind, String name);

    /** The run of {@code kind} named {@code name} in {@code revision} (null: the newest). */
    Optional<RunnableDefinition> find(String kind, String name, String revision);

    /** Every revision loaded: the node claims only runs pinned to one of them, or to none. */
    Set<String> revisions();

    /** The revision of a loaded {@code definition}; null for one with none (a call run's function). */
    String revisionOf(RunnableDefinition definition);
}
