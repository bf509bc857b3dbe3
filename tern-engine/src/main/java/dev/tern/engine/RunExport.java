package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.sdk.RunnableDefinition;
import java.time.Instant;
import java.util.List;

/**
 * A run as one self-contained document ({@link TernEngine#export}, {@code GET /v1/runs/{runId}/export}): the definition
 * it ran (kind and name), the run (input, status, output or error, its times, budget and links), every recorded step,
 * the whole history and the inbox. {@link #toJson()} writes it as the versioned {@value #FORMAT} document and
 * {@link #fromJson} reads one back; {@link #replay} replays it against today's code.
 *
 * @param run the run as it stood (its wait and suspension, which change by the second, are not exported)
 * @param definitionVersion the revision of the definition the run is pinned to ({@code null}: a call run, or a run
 *     created before revisions)
 * @param steps the recorded steps in order of position
 * @param history the history events in order
 * @param inbox the events sent to the run, in arrival order, consumed or not
 */
public record RunExport(
        RunRecord run,
        String definitionVersion,
        List<StepRecord> steps,
        List<HistoryEvent> history,
        List<InboxEntry> inbox) {
    /** The document's {@code format} marker. */
    public static final String FORMAT = "tern-run-export";
    /** The document's {@code version}: the version this Tern writes, and the newest it reads. */
    public static final int VERSION = 1;

    /** An event in the run's inbox: its name, its payload and its place in the inbox. */
    public record InboxEntry(long inboxSequence, String name, JsonNode payload, Instant at) {}

    public RunExport {
        java.util.Objects.requireNonNull(run, "run");
        steps = List.copyOf(steps);
        history = List.copyOf(history);
        inbox = List.copyOf(inbox);
    }

    /** The document: {@code format}, {@code version}, {@code definition}, {@code run}, {@code links}, ... */
    public ObjectNode toJson() {
        return RunExports.write(this);
    }

    /**
     * Reads a document {@link #toJson()} wrote (by this Tern or an older one); one that is not a run export, or of a
     * newer version, or lacks a field, is an {@link IllegalArgumentException} saying which.
     */
    public static RunExport fromJson(JsonNode document) {
        return RunExports.read(document);
    }

    /**
     * Replays the exported run against {@code definition} as the code stands today, without a store or a node: the
     * engine's own replay by position, in a mode where every recorded step returns its recorded result and the first
     * step the history does not hold ends the replay instead of executing. No step body runs; nothing is written.
     * Agents get the events their recorded steps took, in the same order. A definition of another name or kind than the
     * run's is an {@link IllegalArgumentException}.
     */
    public ReplayResult replay(RunnableDefinition definition) {
        return RunExports.replay(this, definition);
    }
}
