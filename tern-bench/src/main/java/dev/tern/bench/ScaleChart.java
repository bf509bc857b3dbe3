package dev.tern.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A PNG of workload 7, the scale curve: per store, each call's p50 by finished runs in the store (both axes
 * logarithmic: the calls differ by orders of magnitude), and next to it the same p50 relative to the smallest store,
 * with the target's limit drawn as a line; one row of two charts per store.
 */
final class ScaleChart {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 520;

    private ScaleChart() {}

    static void save(int[] sizes, List<ScaleTable.StoreResult> stores, Path file) throws IOException {
        if (stores.isEmpty()) return;
        double[] runs = Arrays.stream(sizes).asDoubleStream().toArray();
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (ScaleTable.StoreResult store : stores) {
            XYChart absolute = chart(store.store() + ": µs at p50 (lower is better)", "µs at p50", runs);
            absolute.getStyler().setYAxisLogarithmic(true);
            XYChart relative = chart(
                    store.store() + ": p50 / p50 at " + String.format(java.util.Locale.ROOT, "%,d", sizes[0])
                            + " runs (target at most " + ResultTable.num(ScaleTable.TARGET_GROWTH) + "x)",
                    "growth",
                    runs);
            for (ScaleTable.OpRow row : store.rows()) {
                absolute.addSeries(row.op(), runs, row.p50()).setMarker(SeriesMarkers.CIRCLE);
                double[] growth =
                        Arrays.stream(row.p50()).map(p -> p / row.p50()[0]).toArray();
                relative.addSeries(row.op(), runs, growth).setMarker(SeriesMarkers.CIRCLE);
            }
            double[] limit = new double[runs.length];
            Arrays.fill(limit, ScaleTable.TARGET_GROWTH);
            XYSeries target = relative.addSeries("target", runs, limit);
            target.setMarker(SeriesMarkers.NONE);
            target.setLineStyle(SeriesLines.DASH_DASH);
            target.setLineColor(java.awt.Color.RED);
            relative.getStyler().setYAxisMin(0.0);
            relative.getStyler().setYAxisMax(Math.max(2.5, maxGrowth(store) * 1.1));
            charts.add(absolute);
            charts.add(relative);
        }
        BitmapEncoder.saveBitmap(charts, stores.size(), 2, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(String title, String yTitle, double[] runs) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle("finished runs in the store")
                .yAxisTitle(yTitle)
                .build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        chart.getStyler().setXAxisMin(runs[0] / 1.5);
        chart.getStyler().setXAxisMax(runs[runs.length - 1] * 1.5);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler()
                .setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        return chart;
    }

    private static double maxGrowth(ScaleTable.StoreResult store) {
        double max = 0;
        for (ScaleTable.OpRow row : store.rows()) for (double p : row.p50()) max = Math.max(max, p / row.p50()[0]);
        return max;
    }
}
