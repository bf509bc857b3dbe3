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

    private record Entry(JsonNode tree, String text, String ref) {}

    private static final AtomicReferenceArray<Entry> ENTRIES = new AtomicReferenceArray<>(SLOTS);

    private SnapshotTexts() {}

    /**
     * {@code tree} as JSON text, or null for null. A tree has two slots, so that two trees in use together whose first
     * slots are the same (a run's two snapshots, in one process in 64) do not take turns evicting each other and write
     * both texts for every run.
     */
    static String of(JsonNode tree) {
        Entry entry = entry(tree);
        return entry == null ? null : entry.text();
    }

    /**
     * What a run's row holds for {@code tree}, or null for null: the reference of its text ({@link SnapshotRows}) when
     * runs may share it, else the text itself. A snapshot that names one run ({@value #RUN_KEY}, {@value #DEADLINE}: a
     * run policy scheduled with those options) would be a stored row per run, never shared and never deleted with its
     * run, so it stays in the run's row.
     */
    static String stored(JsonNode tree) {
        Entry entry = entry(tree);
        return entry == null ? null : entry.ref() != null ? entry.ref() : entry.text();
    }

    /**
     * The reference {@link #stored} writes for {@code tree}, or null if it writes the text (or {@code tree} is null).
     */
    static String ref(JsonNode tree) {
        Entry entry = entry(tree);
        return entry == null ? null : entry.ref();
    }

    private static final String RUN_KEY = "idempotencyKey";
    private static final String DEADLINE = "deadlineAt";

    /**
     * The reference of a snapshot's {@code text}: {@value #REF_PREFIX} and the first 128 bits of its SHA-256, URL-safe
     * Base64. Never the start of a JSON text, so a row still holding a snapshot's text (written before references) is
     * told apart from one holding a reference.
     */
    static String refOf(String text) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return REF_PREFIX
                    + java.util.Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(java.util.Arrays.copyOf(hash, 16));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static final String REF_PREFIX = "sha256-";

    /** Whether a snapshot column's value is a reference ({@link #refOf}) rather than the snapshot's text. */
    static boolean isRef(String value) {
        return value != null && value.startsWith(REF_PREFIX);
    }

    private static Entry entry(JsonNode tree) {
        if (tree == null) return null;
        int hash = System.identityHashCode(tree);
        int first = hash & (SLOTS - 1);
        int second = (hash >>> 6) & (SLOTS - 1);
        Entry entry = ENTRIES.get(first);
        if (entry != null && entry.tree() == tree) return entry;
        Entry other = ENTRIES.get(second);
        if (other != null && other.tree() == tree) return other;
        String text = Json.write(tree);
        boolean oneRun = tree.has(RUN_KEY) || tree.has(DEADLINE);
        Entry made = new Entry(tree, text, oneRun ? null : refOf(text));
        ENTRIES.set(entry == null ? first : second, made);
        return made;
    }
}
