package dev.tern.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scale curve's files: a row per store, call and size in {@code scale.csv}, and a chart of it. */
class ScaleFilesTest {
    private static final int[] SIZES = {10_000, 100_000, 1_000_000};

    @Test
    void writesTheCurveAsRowsAndAsAChartPerStore(@TempDir Path dir) throws Exception {
        List<ScaleTable.StoreResult> stores = stores();

        ResultFiles.writeScale(dir, SIZES, stores);

        List<String> csv = Files.readAllLines(dir.resolve("scale.csv"));
        assertThat(csv).hasSize(1 + 3 * SIZES.length);
        assertThat(csv.get(0)).isEqualTo("system,call,finished_runs,p50_us,p99_us,growth_from_smallest");
        assertThat(csv)
                .contains(
                        "\"Tern, SQLite\",\"get a run\",10000,80.0000,110.0000,1.0000",
                        "\"Tern, SQLite\",\"get a run\",1000000,120.0000,200.0000,1.5000",
                        "\"Tern, PostgreSQL\",\"get a run\",100000,35.0000,52.0000,0.8750");

        BufferedImage chart = ImageIO.read(dir.resolve("scale.png").toFile());
        assertThat(chart).isNotNull();
        // a row of two charts (p50, and p50 relative to the smallest store) per store
        assertThat(chart.getWidth()).isGreaterThan(chart.getHeight());
        assertThat(chart.getHeight()).isGreaterThanOrEqualTo(2 * 400);
        assertThat(hasRed(chart)).as("the target's line").isTrue();
    }

    /** SQLite's reads warmed up until the JIT settled; PostgreSQL with no warmup noted. */
    private static List<ScaleTable.StoreResult> stores() {
        return List.of(
                new ScaleTable.StoreResult(
                        "Tern, SQLite",
                        List.of(
                                new ScaleTable.OpRow(
                                        "get a run", new double[] {80, 60, 120}, new double[] {110, 90, 200}),
                                new ScaleTable.OpRow(
                                        "list runs, page 1", new double[] {300, 450, 270}, new double[] {400, 600, 500
                                        })),
                        2_364,
                        737,
                        new JitWarmup.Done(12, 9.4, true)),
                new ScaleTable.StoreResult(
                        "Tern, PostgreSQL",
                        List.of(new ScaleTable.OpRow(
                                "get a run", new double[] {40, 35, 53}, new double[] {55, 52, 75})),
                        6_423,
                        648,
                        null));
    }

    @Test
    void notesHowEachStoresReadsWarmedUp() {
        var out = new java.io.ByteArrayOutputStream();
        ScaleTable.print(SIZES, stores(), new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        String table = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(table)
                .contains("note: Tern, SQLite: the reads warmed up at the first size in 12 passes over 9 s until the"
                        + " JIT compiled for under 1% of 3 s")
                .doesNotContain("note: Tern, PostgreSQL");
    }

    @Test
    void writesNothingWithoutAStore(@TempDir Path dir) throws Exception {
        ScaleChart.save(SIZES, List.of(), dir.resolve("scale.png"));
        assertThat(dir.resolve("scale.png")).doesNotExist();
    }

    /** Whether the chart has pure red pixels: the target's line (the series' own red is darker). */
    private static boolean hasRed(BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y++)
            for (int x = 0; x < image.getWidth(); x++) if ((image.getRGB(x, y) & 0xffffff) == 0xff0000) return true;
        return false;
    }
}
