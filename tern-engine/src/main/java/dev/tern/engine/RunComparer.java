package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.RunComparison.ComparedRun;
import dev.tern.engine.RunComparison.ComparedStep;
import dev.tern.engine.RunComparison.Field;
import dev.tern.engine.RunComparison.Row;
import dev.tern.engine.RunComparison.Totals;
import dev.tern.sdk.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** Builds a {@link RunComparison} from two runs and their recorded steps. */
final class RunComparer {
    /** Numbers equal by value ({@code 1} and {@code 1.0}), everything else as Jackson compares it. */
    private static final Comparator<JsonNode> BY_VALUE = (x, y) -> {
        if (x.equals(y)) return 0;
        if (x.isNumber() && y.isNumber()) {
            try {
                return x.decimalValue().compareTo(y.decimalValue());
            } catch (NumberFormatException notFinite) {
                return Double.compare(x.doubleValue(), y.doubleValue());
            }
        }
        return 1;
    };

    private final Function<String, RunRecord> runs;
    private final Function<String, List<StepRecord>> steps;
    private final Clock clock;

    RunComparer(Function<String, RunRecord> runs, Function<String, List<StepRecord>> steps, Clock clock) {
        this.runs = runs;
        this.steps = steps;
        this.clock = clock;
    }

    /** Compares run {@code a} with run {@code b}; either missing is a {@link RunNotFoundException}. */
    RunComparison compare(String a, String b) {
        RunRecord runA = runs.apply(a);
        RunRecord runB = runs.apply(b);
        Instant now = clock.instant();
        Map<Integer, StepRecord> stepsA = bySeq(steps.apply(runA.id()));
        Map<Integer, StepRecord> stepsB = bySeq(steps.apply(runB.id()));
        SortedSet<Integer> positions = new TreeSet<>(stepsA.keySet());
        positions.addAll(stepsB.keySet());
        List<Row> rows = new ArrayList<>(positions.size());
        Integer first = null;
        for (int position : positions) {
            ComparedStep left = step(stepsA.get(position));
            ComparedStep right = step(stepsB.get(position));
            Row row = new Row(position, left, right, diff(left, right));
            if (first == null && !row.same()) first = position;
            rows.add(row);
        }
        ForkedFrom forkedFrom = runB.links().forkedFrom();
        boolean forkedFromA = forkedFrom != null && forkedFrom.runId().equals(runA.id());
        return new RunComparison(
                side(runA, stepsA.values(), now), side(runB, stepsB.values(), now), forkedFromA, rows, first);
    }

    private static Map<Integer, StepRecord> bySeq(List<StepRecord> steps) {
        Map<Integer, StepRecord> out = new TreeMap<>();
        for (StepRecord s : steps) out.put(s.seq(), s);
        return out;
    }

    private static ComparedRun side(RunRecord run, Iterable<StepRecord> steps, Instant now) {
        Usage spent = Usage.NONE;
        int count = 0;
        for (StepRecord s : steps) {
            count++;
            if (s.usage() != null) spent = spent.plus(s.usage());
        }
        Instant end = run.completedAt() != null ? run.completedAt() : now;
        long duration = run.createdAt() == null
                ? 0
                : Math.max(0, Duration.between(run.createdAt(), end).toMillis());
        Totals totals = new Totals(count, duration, spent.inputTokens(), spent.outputTokens(), spent.costUsd());
        return new ComparedRun(
                run.id(), run.kind(), run.name(), run.status(), run.links().forkedFrom(), totals);
    }

    private static ComparedStep step(StepRecord s) {
        if (s == null) return null;
        Long duration = s.startedAt() != null && s.completedAt() != null
                ? Duration.between(s.startedAt(), s.completedAt()).toMillis()
                : null;
        Usage usage = s.usage() == null ? Usage.NONE : s.usage();
        return new ComparedStep(
                s.name(),
                s.effectiveType(),
                s.status(),
                s.input(),
                s.output(),
                s.error(),
                duration,
                usage.inputTokens(),
                usage.outputTokens(),
                usage.costUsd());
    }

    /** The fields that differ; a missing step counts as one whose fields are all null. */
    static List<Field> diff(ComparedStep a, ComparedStep b) {
        List<Field> out = new ArrayList<>();
        if (!Objects.equals(a == null ? null : a.name(), b == null ? null : b.name())) out.add(Field.NAME);
        if (!Objects.equals(a == null ? null : a.type(), b == null ? null : b.type())) out.add(Field.TYPE);
        if (!Objects.equals(a == null ? null : a.status(), b == null ? null : b.status())) out.add(Field.STATUS);
        if (!sameJson(a == null ? null : a.input(), b == null ? null : b.input())) out.add(Field.INPUT);
        if (!sameJson(a == null ? null : a.output(), b == null ? null : b.output())) out.add(Field.OUTPUT);
        if (!sameError(a == null ? null : a.error(), b == null ? null : b.error())) out.add(Field.ERROR);
        return out;
    }

    /** Equal as JSON values: member order and number spelling aside; absent and JSON {@code null} alike. */
    static boolean sameJson(JsonNode x, JsonNode y) {
        boolean noX = x == null || x.isNull() || x.isMissingNode();
        boolean noY = y == null || y.isNull() || y.isMissingNode();
        if (noX || noY) return noX == noY;
        return x.equals(BY_VALUE, y);
    }

    /** The same error type and message; the id an error was logged under is unique to each occurrence. */
    private static boolean sameError(ErrorInfo x, ErrorInfo y) {
        if (x == null || y == null) return x == y;
        return Objects.equals(x.type(), y.type()) && Objects.equals(x.message(), y.message());
    }
}
