package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * Two runs side by side: their steps lined up by position ({@link StepRecord#seq()}), one {@link Row} per position
 * either run recorded a step at, with what differs in each, and each run's totals. Typically a fork beside the run it
 * was forked from ({@link #forkedFromA()}), but any two runs compare, of different definitions too (their rows then
 * differ by name). Durations, tokens and cost are reported, never counted as a difference.
 *
 * @param a the first run
 * @param b the second run
 * @param forkedFromA whether {@code b} was forked from {@code a} (its {@link RunLinks#forkedFrom()} names {@code a})
 * @param rows one per position, in order
 * @param firstDifference the position of the first row that differs, or {@code null} when every row is the same
 */
public record RunComparison(
        ComparedRun a, ComparedRun b, boolean forkedFromA, List<Row> rows, Integer firstDifference) {

    public RunComparison {
        rows = List.copyOf(rows);
    }

    /** Whether every row is the same (durations, tokens and cost aside): no {@link #firstDifference()}. */
    public boolean same() {
        return firstDifference == null;
    }

    /** The fields of a step that count as a difference when they are not equal. */
    public enum Field {
        NAME,
        TYPE,
        STATUS,
        /** The step's input, compared as a JSON value (member order and number spelling aside). */
        INPUT,
        /** The step's output, compared as a JSON value. */
        OUTPUT,
        /** The step's error: its type and message (not the id the server logged it under). */
        ERROR;

        private final String wire = name().toLowerCase(Locale.ROOT);

        /** As the API spells it: {@code name}, {@code type}, {@code status}, {@code input}, {@code output}, … */
        public String wireName() {
            return wire;
        }
    }

    /**
     * One side of the comparison: the run, where it came from if it is a fork, and its totals.
     *
     * @param forkedFrom the run and step this run was forked from, or {@code null}
     */
    public record ComparedRun(
            String runId, RunKind kind, String name, RunStatus status, ForkedFrom forkedFrom, Totals totals) {}

    /**
     * A run's totals: how many steps it recorded, how long it took (created to completed, or to now while unfinished),
     * and what its steps reported spending.
     */
    public record Totals(int steps, long durationMs, long inputTokens, long outputTokens, double costUsd) {}

    /**
     * The steps of both runs at one position.
     *
     * @param a the first run's step there, or {@code null} when it has none
     * @param b the second run's step there, or {@code null} when it has none
     * @param diff the fields that differ, in {@link Field} order (a missing step's fields are null, so they differ from
     *     the other's that are not)
     */
    public record Row(int position, ComparedStep a, ComparedStep b, List<Field> diff) {
        public Row {
            diff = List.copyOf(diff);
        }

        /** Whether the two steps are the same (durations, tokens and cost aside). */
        public boolean same() {
            return diff.isEmpty();
        }
    }

    /**
     * One run's step at a position.
     *
     * @param type the step's type ({@link StepRecord#effectiveType()})
     * @param durationMs from its start to its completion, or {@code null} while it has not completed (a wait)
     */
    public record ComparedStep(
            String name,
            String type,
            StepStatus status,
            JsonNode input,
            JsonNode output,
            ErrorInfo error,
            Long durationMs,
            long inputTokens,
            long outputTokens,
            double costUsd) {}
}
