package dev.tern.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Writes the results as {@code results.csv}, {@code results.json} and {@code results.png} under one directory, and the
 * scale curve, when workload 7 ran, as {@code scale.csv} and {@code scale.png}.
 */
final class ResultFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFiles() {}

    static void write(Path dir, String environment, List<Result> results) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.csv"), csv(results));
        JSON.writeValue(dir.resolve("results.json").toFile(), json(environment, results));
        ResultChart.save(results, dir.resolve("results.png"));
        System.err.println("results written to " + dir.toAbsolutePath() + "/results.{csv,json,png}");
    }

    /**
     * The scale curve: {@code scale.csv} (a row per store, call and size) and {@code scale.png} ({@link ScaleChart}).
     */
    static void writeScale(Path dir, int[] sizes, List<ScaleTable.StoreResult> stores) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("scale.csv"), scaleCsv(sizes, stores));
        ScaleChart.save(sizes, stores, dir.resolve("scale.png"));
        System.err.println("scale curve written to " + dir.toAbsolutePath() + "/scale.{csv,png}");
    }

    static String scaleCsv(int[] sizes, List<ScaleTable.StoreResult> stores) {
        StringBuilder b = new StringBuilder("system,call,finished_runs,p50_us,p99_us,growth_from_smallest\n");
        for (ScaleTable.StoreResult s : stores) {
            for (ScaleTable.OpRow r : s.rows()) {
                for (int i = 0; i < sizes.length; i++) {
                    b.append(String.join(
                                    ",",
                                    quote(s.store()),
                                    quote(r.op()),
                                    Integer.toString(sizes[i]),
                                    n(r.p50()[i]),
                                    n(r.p99()[i]),
                                    n(r.p50()[i] / r.p50()[0])))
                            .append('\n');
                }
            }
        }
        return b.toString();
    }

    static String csv(List<Result> results) {
        StringBuilder b = new StringBuilder(
                "workload,system,metric,median,min,max,repetitions,tern_over_peer,tern_over_limit,compared_with,"
                        + "observed_over_plain\n");
        for (Result r : results) {
            Spread v = r.value();
            b.append(String.join(
                            ",",
                            quote(r.workload()),
                            quote(r.system()),
                            quote(r.metric().label()),
                            n(v.median()),
                            n(v.min()),
                            n(v.max()),
                            Integer.toString(v.repetitions()),
                            n(r.ternOverPeer()),
                            n(r.ternOverLimit()),
                            quote(r.comparedWith()),
                            n(r.observedOverPlain())))
                    .append('\n');
        }
        return b.toString();
    }

    static ObjectNode json(String environment, List<Result> results) {
        ObjectNode root =
                JSON.createObjectNode().put("when", Instant.now().toString()).put("environment", environment);
        ArrayNode list = root.putArray("results");
        for (Result r : results) {
            ObjectNode n = list.addObject()
                    .put("workload", r.workload())
                    .put("system", r.system())
                    .put("metric", r.metric().label())
                    .put("higherIsBetter", r.metric().higherIsBetter())
                    .put("median", r.value().median())
                    .put("min", r.value().min())
                    .put("max", r.value().max())
                    .put("repetitions", r.value().repetitions());
            if (r.ternOverPeer() != null) n.put("ternOverPeer", r.ternOverPeer());
            if (r.ternOverLimit() != null) n.put("ternOverLimit", r.ternOverLimit());
            if (r.comparedWith() != null) n.put("comparedWith", r.comparedWith());
            if (r.observedOverPlain() != null) n.put("observedOverPlain", r.observedOverPlain());
        }
        return root;
    }

    private static String n(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String quote(String s) {
        return s == null ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
