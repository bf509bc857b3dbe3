package dev.tern.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** A PNG of the headline metrics, one bar chart per metric (systems as bars, medians), in a grid. */
final class ResultChart {
    private static final Metric[] SHOWN = {
        Metric.WORKFLOWS_PER_SECOND,
        Metric.P50_MS,
        Metric.P99_MS,
        Metric.MICROS_PER_STEP,
        Metric.HEAP_MIB,
        Metric.RECOVERY_SECONDS
    };
    private static final int COLUMNS = 2;

    private ResultChart() {}

    /** One chart per workload and shown metric, in the order of {@link #SHOWN}, then of the workloads. */
    static void save(List<Result> results, Path file) throws IOException {
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (Metric metric : SHOWN) {
            Map<String, Map<String, Double>> byWorkload = new LinkedHashMap<>();
            for (Result r : results) {
                if (r.metric() == metric)
                    byWorkload
                            .computeIfAbsent(r.workload(), w -> new LinkedHashMap<>())
                            .put(r.system(), r.value().median());
            }
            byWorkload.forEach((workload, bars) -> charts.add(chart(
                    workload + ": " + metric.label()
                            + (metric.higherIsBetter() ? " (higher is better)" : " (lower is better)"),
                    bars)));
        }
        if (charts.isEmpty()) return;
        // the grid must be full: an odd number of charts goes in one column
        int columns = charts.size() % COLUMNS == 0 ? COLUMNS : 1;
        BitmapEncoder.saveBitmap(
                charts, charts.size() / columns, columns, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static CategoryChart chart(String title, Map<String, Double> bars) {
        CategoryChart chart =
                new CategoryChartBuilder().width(640).height(480).title(title).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        // upright labels: a slanted label reaches past its bar, and the chart drops the last one, past its edge
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler()
                .setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        // the bars' labels as the table shows them: whole numbers from 100 up, three significant digits below
        double largest =
                bars.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        String pattern = largest >= 100 ? "#,##0" : largest >= 10 ? "#,##0.0" : "#,##0.00";
        chart.getStyler().setDecimalPattern(pattern);
        chart.getStyler().setYAxisDecimalPattern(pattern);
        chart.addSeries("median", new ArrayList<>(bars.keySet()), new ArrayList<>(bars.values()));
        return chart;
    }
}
