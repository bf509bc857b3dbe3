package dev.tern.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code tern runs compare} as a table: the two runs, one row per position with each side's step name, status, duration
 * and tokens (input/output) and a marker ({@code =} the same, {@code ≠} and the fields that differ), the first
 * difference marked {@code >} at the start of its row, then each run's totals and where they first differ.
 */
final class ComparisonTable {
    static final String SAME = "=";
    static final String DIFFERS = "≠";
    static final String FIRST = ">";
    private static final int MAX_NAME = 32;
    private static final String ABSENT = "-";

    private ComparisonTable() {}

    static void print(JsonNode c, PrintWriter out) {
        out.println("a: " + describe(c.get("a"), null));
        out.println("b: " + describe(c.get("b"), c.path("forkedFromA").asBoolean() ? c.get("a") : null));
        out.println();
        int name = "A NAME".length();
        for (JsonNode row : c.get("rows")) {
            name = Math.max(name, nameOf(row.get("a")).length());
            name = Math.max(name, nameOf(row.get("b")).length());
        }
        String format = "%-1s %4s  %-" + name + "s  %-10s %7s  %-11s  %-" + name + "s  %-10s %7s  %-11s  %s";
        out.println(line(
                format,
                "",
                "POS",
                "A NAME",
                "A STATUS",
                "A MS",
                "A TOKENS",
                "B NAME",
                "B STATUS",
                "B MS",
                "B TOKENS",
                "DIFF"));
        Integer first = c.has("firstDifference") ? c.get("firstDifference").asInt() : null;
        for (JsonNode row : c.get("rows")) {
            int position = row.get("position").asInt();
            List<String> cells = new ArrayList<>();
            cells.add(first != null && first == position ? FIRST : "");
            cells.add(Integer.toString(position));
            cells.addAll(side(row.get("a")));
            cells.addAll(side(row.get("b")));
            cells.add(marker(row));
            out.println(line(format, cells.toArray()));
        }
        JsonNode ta = c.get("a").get("totals");
        JsonNode tb = c.get("b").get("totals");
        out.println(line(
                format,
                "",
                "",
                "total",
                steps(ta),
                ta.get("durationMs").asText(),
                tokens(ta),
                "total",
                steps(tb),
                tb.get("durationMs").asText(),
                tokens(tb),
                ""));
        out.println();
        out.println("cost: a " + cost(ta) + ", b " + cost(tb));
        if (first == null) {
            out.println("same: no step differs (durations, tokens and cost aside)");
        } else {
            for (JsonNode row : c.get("rows"))
                if (row.get("position").asInt() == first)
                    out.println("first difference at position " + first + ": " + String.join(", ", diff(row)));
        }
    }

    /** {@code run_… hello (workflow) completed}, and the step it was forked at when it is a fork of {@code a}. */
    private static String describe(JsonNode run, JsonNode forkedFromA) {
        String text = run.get("runId").asText() + "  " + run.get("name").asText() + " ("
                + run.get("kind").asText() + ")  " + run.get("status").asText();
        if (forkedFromA != null)
            return text + "  fork of a from step " + run.at("/forkedFrom/step").asInt();
        if (run.has("forkedFrom"))
            return text + "  fork of " + run.at("/forkedFrom/runId").asText() + " from step "
                    + run.at("/forkedFrom/step").asInt();
        return text;
    }

    private static String nameOf(JsonNode step) {
        if (step == null) return ABSENT;
        String name = step.get("name").asText();
        return name.length() > MAX_NAME ? name.substring(0, MAX_NAME - 1) + "…" : name;
    }

    /** Name, status, duration and tokens of one side's step; dashes where its run has none. */
    private static List<String> side(JsonNode step) {
        if (step == null) return List.of(ABSENT, ABSENT, ABSENT, ABSENT);
        return List.of(
                nameOf(step),
                step.get("status").asText(),
                step.has("durationMs") ? step.get("durationMs").asText() : ABSENT,
                tokens(step));
    }

    private static String marker(JsonNode row) {
        List<String> diff = diff(row);
        return diff.isEmpty() ? SAME : DIFFERS + " " + String.join(", ", diff);
    }

    private static List<String> diff(JsonNode row) {
        List<String> out = new ArrayList<>();
        row.get("diff").forEach(f -> out.add(f.asText()));
        return out;
    }

    private static String tokens(JsonNode node) {
        return node.get("inputTokens").asLong() + "/" + node.get("outputTokens").asLong();
    }

    private static String steps(JsonNode totals) {
        int n = totals.get("steps").asInt();
        return n + (n == 1 ? " step" : " steps");
    }

    private static String cost(JsonNode totals) {
        return String.format(Locale.ROOT, "$%.4f", totals.get("costUsd").asDouble());
    }

    private static String line(String format, Object... cells) {
        return String.format(Locale.ROOT, format, cells).stripTrailing();
    }
}
