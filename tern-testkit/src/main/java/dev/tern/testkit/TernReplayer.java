package dev.tern.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.ReplayResult;
import dev.tern.engine.RunExport;
import dev.tern.engine.TernJson;
import dev.tern.sdk.RunnableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that a recorded run still replays against today's code, like Temporal's {@code WorkflowReplayer}: export a run
 * ({@code GET /v1/runs/{runId}/export}, or {@code TernEngine.export}), keep the document with your tests, and replay it
 * against the definition after every change. The replay needs no server and no store: the engine replays the run's
 * steps by position in a replay-only mode, where each recorded step returns its recorded result (no step body runs, no
 * model is called, nothing is written) and the first step the history does not hold ends the replay. Agents get the
 * events their recorded steps took, in the same order.
 *
 * <pre>{@code
 * TernReplayer.replay(Checkout.DEFINITION, Path.of("src/test/resources/checkout-run.json"));
 * }</pre>
 */
public final class TernReplayer {
    private TernReplayer() {}

    /**
     * Replays the exported run (the JSON text of a run export) against {@code definition}; returns if the code makes
     * the recorded steps in their order, up to where the history ends.
     *
     * @throws NonDeterminismException naming the first position where the code asks for another step than the recorded
     *     one, or ends before asking for it
     * @throws IllegalArgumentException if the text is not a run export, or the run is not one of {@code definition}
     */
    public static ReplayResult replay(RunnableDefinition definition, String exportedJson) {
        JsonNode document;
        try {
            document = TernJson.reader().readTree(exportedJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a run export: the text is not JSON: " + e.getMessage(), e);
        }
        return replay(definition, document);
    }

    /** Like {@link #replay(RunnableDefinition, String)}, with the export as a JSON tree. */
    public static ReplayResult replay(RunnableDefinition definition, JsonNode exported) {
        return replay(definition, RunExport.fromJson(exported));
    }

    /** Like {@link #replay(RunnableDefinition, String)}, with the export read from a file. */
    public static ReplayResult replay(RunnableDefinition definition, Path exportFile) {
        try {
            return replay(definition, Files.readString(exportFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run export " + exportFile, e);
        }
    }

    /** Like {@link #replay(RunnableDefinition, String)}, with the export as the engine returns it. */
    public static ReplayResult replay(RunnableDefinition definition, RunExport export) {
        ReplayResult result = export.replay(definition);
        if (!result.matches()) {
            throw new NonDeterminismException(
                    export.run().id(),
                    export.run().kind().wireName() + " '" + export.run().name() + "'",
                    result.divergence());
        }
        return result;
    }
}
