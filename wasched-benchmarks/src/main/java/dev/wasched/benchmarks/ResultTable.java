package dev.wasched.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one table a run prints: a row per workload and metric, a column per contender, and per baseline a ratio from
 * the same run that says how many times better wasched did (above 1: better, below 1: worse), whichever direction is
 * better for the row's metric.
 */
public final class ResultTable {
    /** The column order; the first is wasched, the others are baselines. */
    private final List<String> contenders;
    private final List<Row> rows = new ArrayList<>();

    public ResultTable(List<String> contenders) {
        this.contenders = List.copyOf(contenders);
    }

    private record Row(String workload, String metric, String better, Map<String, String> shown, Map<String, Double> values) {
    }

    /** A row of numbers; {@code better} is "higher", "lower" or "" when a ratio means nothing. */
    public void add(String workload, String metric, String better, String format, Map<String, Double> values) {
        Map<String, String> shown = new LinkedHashMap<>();
        values.forEach((k, v) -> shown.put(k, v == null || v.isNaN() ? "n/a" : String.format(format, v)));
        rows.add(new Row(workload, metric, better, shown, values));
    }

    /** A row of text (counts with remarks, and such); no ratio. */
    public void addText(String workload, String metric, Map<String, String> shown) {
        rows.add(new Row(workload, metric, "", shown, Map.of()));
    }

    public String render() {
        List<String> header = new ArrayList<>(List.of("workload", "metric"));
        header.addAll(contenders);
        List<String> baselines = contenders.subList(1, contenders.size());
        baselines.forEach(b -> header.add(contenders.get(0) + " vs " + b));
        header.add("better");
        StringBuilder out = new StringBuilder();
        line(out, header);
        line(out, header.stream().map(h -> "---").toList());
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(r.workload, r.metric));
            contenders.forEach(c -> cells.add(r.shown.getOrDefault(c, "")));
            for (String b : baselines) {
                Double w = r.values.get(contenders.get(0));
                Double base = r.values.get(b);
                boolean meaningful = !r.better.isEmpty() && w != null && base != null && base != 0 && !w.isNaN() && !base.isNaN();
                cells.add(meaningful ? String.format("%.2fx", r.better.equals("higher") ? w / base : base / w) : "");
            }
            cells.add(r.better);
            line(out, cells);
        }
        out.append("\nRatios: how many times better ").append(contenders.get(0))
                .append(" did than the baseline in this run (above 1: better, below 1: worse).\n");
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
