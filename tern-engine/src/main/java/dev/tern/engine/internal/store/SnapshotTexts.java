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

    /**
     * {@code tree} as JSON text, or null for null. A tree has two slots, so that two trees in use together whose first
     * slots are the same (a run's two snapshots, in one process in 64) do not take turns evicting each other and write
     * both texts for every run.
     */
    static String of(JsonNode tree) {
        if (tree == null) return null;
        int hash = System.identityHashCode(tree);
        int first = hash & (SLOTS - 1);
        int second = (hash >>> 6) & (SLOTS - 1);
        Entry entry = ENTRIES.get(first);
        if (entry != null && entry.tree() == tree) return entry.text();
        Entry other = ENTRIES.get(second);
        if (other != null && other.tree() == tree) return other.text();
        String text = Json.write(tree);
        ENTRIES.set(entry == null ? first : second, new Entry(tree, text));
        return text;
    }
}
