package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.json.Json;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The JSON text of a run's release snapshots, remembered for the last tree object seen in each of a few slots: runs
 * scheduled alike share their snapshot trees (the engine's {@code SharedSnapshots}), so a new run's row and the run as
 * it was inserted take the text written for the runs before it instead of writing it twice more. A tree is matched by
 * identity, so a tree that is changed after it was written must be a copy (as {@code RunRelease} asks).
 */
final class SnapshotTexts {
    private static final int SLOTS = 64;

    private record Entry(JsonNode tree, String text) {}

    private static final AtomicReferenceArray<Entry> ENTRIES = new AtomicReferenceArray<>(SLOTS);

    private SnapshotTexts() {}

    /** {@code tree} as JSON text, or null for null. */
    static String of(JsonNode tree) {
        if (tree == null) return null;
        int slot = System.identityHashCode(tree) & (SLOTS - 1);
        Entry entry = ENTRIES.get(slot);
        if (entry != null && entry.tree() == tree) return entry.text();
        String text = Json.write(tree);
        ENTRIES.set(slot, new Entry(tree, text));
        return text;
    }
}
