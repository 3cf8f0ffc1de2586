package org.crucible.driver.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.spark.ComputeTimeLog;

/**
 * Report section "Time": wall time (s) of each stage per cycle from the campaign log's {@code cycle N: STAGE done in X
 * s} lines, the total per stage from {@code state.json} beside the CPU seconds its Spark tasks spent on executors
 * ({@link ComputeTimeLog}) and their ratio (executor cores busy on average = executor CPU / wall), and how the last
 * pool's relaxations ended (the pool entries' stop reasons, count and share).
 */
final class TimeSection {
    private TimeSection() {
    }

    static void write(CampaignData d, ReportPage page) throws IOException {
        page.section("Time", "Wall time of each stage per cycle (from campaign.log) and in all (state.json), with the CPU time of its Spark tasks on executors (compute-time.jsonl); how the last pool's relaxations ended.")
                .plots(timePlot(d.dir(), d.state())).html(timeTable(d.state(), ComputeTimeLog.read(d.dir()))).html(stopReasons(d.lastPool()));
    }

    private static final java.util.regex.Pattern STAGE_DONE = java.util.regex.Pattern.compile("^(\\S+) cycle (\\d+): (\\w+) done in ([0-9.]+) s");

    /** One finished stage execution as the campaign log files it: when it ended (null when unreadable), cycle, stage, wall seconds. */
    record Execution(java.time.Instant end, int cycle, String stage, double seconds) {
    }

    /** The stage executions of the campaign log's "TIME cycle N: STAGE done in X s" lines, in order. */
    static java.util.List<Execution> executions(Path dir) throws IOException {
        java.util.List<Execution> out = new java.util.ArrayList<>();
        Path log = dir.resolve("campaign.log");
        if (!Files.exists(log)) return out;
        try (Stream<String> lines = Files.lines(log)) {
            lines.forEach(l -> {
                var mm = STAGE_DONE.matcher(l);
                if (!mm.find()) return;
                java.time.Instant end;
                try {
                    end = java.time.Instant.parse(mm.group(1));
                } catch (java.time.format.DateTimeParseException e) {
                    end = null; // a line written without the log's timestamp: its seconds still count, it has no place on a timeline
                }
                out.add(new Execution(end, Integer.parseInt(mm.group(2)), mm.group(3), Double.parseDouble(mm.group(4))));
            });
        }
        return out;
    }

    /** Seconds per stage and cycle as the campaign log files them ("cycle N: STAGE done in X s"). */
    static Map<String, TreeMap<Integer, Double>> stageSecondsByCycle(Path dir) throws IOException {
        Map<String, TreeMap<Integer, Double>> m = new LinkedHashMap<>();
        for (org.crucible.driver.campaign.Stage st : org.crucible.driver.campaign.Stage.values()) m.put(st.name().toLowerCase(Locale.ROOT), new TreeMap<>());
        for (Execution x : executions(dir)) m.computeIfAbsent(x.stage(), k -> new TreeMap<>()).merge(x.cycle(), x.seconds(), Double::sum);
        return m;
    }

    private static SvgPlot timePlot(Path dir, CampaignState state) throws IOException {
        SvgPlot p = new SvgPlot("stage-time", "Wall time per stage and cycle", "cycle", "wall time (s)");
        int j = 0;
        boolean any = false;
        for (Map.Entry<String, TreeMap<Integer, Double>> e : stageSecondsByCycle(dir).entrySet()) {
            if (e.getValue().isEmpty()) continue;
            any = true;
            double[] x = e.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
            p.line(e.getKey(), x, y, Palette.category(j++), false);
        }
        if (!any) p.note("campaign.log has no finished stage yet");
        else p.note("one line per stage; a stage is filed under the cycle the campaign log names");
        return p;
    }

    /**
     * Wall time per stage (state.json) beside the CPU time its Spark tasks spent on executors (compute-time.jsonl, every
     * run of the campaign) and their ratio, the executor cores kept busy on average.
     */
    private static String timeTable(CampaignState state, ComputeTimeLog.Contents compute) {
        Map<String, Double> cpu = compute.cpuSecondsByStage();
        StringBuilder b = new StringBuilder("<table><tr><th class=\"l\">stage</th><th>wall time (s)</th><th>share</th><th>executor CPU (s)</th>"
                + "<th>executor cores busy</th></tr>\n");
        double total = state.stageSeconds().values().stream().mapToDouble(Double::doubleValue).sum();
        double totalCpu = 0;
        for (org.crucible.driver.campaign.Stage st : org.crucible.driver.campaign.Stage.values()) {
            String name = st.name().toLowerCase(Locale.ROOT);
            Double v = state.stageSeconds().get(name);
            Double c = cpu.get(name);
            if (v == null && c == null) continue;
            totalCpu += c == null ? 0 : c;
            b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", name,
                    v == null ? "-" : String.format(Locale.ROOT, "%.1f", v), v == null ? "-" : String.format(Locale.ROOT, "%.0f %%", total > 0 ? 100 * v / total : 0),
                    c == null ? "-" : String.format(Locale.ROOT, "%.1f", c), c == null || v == null || v <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", c / v)));
        }
        b.append(String.format(Locale.ROOT, "<tr><th class=\"l\">total</th><th>%.1f</th><th></th><th>%s</th><th></th></tr>\n</table>\n", total,
                compute.jobs().isEmpty() ? "not recorded" : String.format(Locale.ROOT, "%.1f", totalCpu)));
        if (compute.jobs().isEmpty()) {
            b.append("<p>No executor CPU time recorded: the campaign ran without Spark (or before Crucible recorded it in compute-time.jsonl).</p>\n");
        }
        return b.toString();
    }

    /** How the relaxations of the last pool ended (the pool entries' status), most frequent first. */
    private static String stopReasons(java.util.List<PoolEntry> pool) {
        if (pool == null) return "<p>No relaxed pool yet.</p>\n";
        Map<String, Integer> counts = new TreeMap<>();
        for (PoolEntry e : pool) {
            counts.merge(e.status() == null || e.status().isBlank() ? "n/a" : e.status(), 1, Integer::sum);
        }
        int n = counts.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder b = new StringBuilder("<h3>Relaxations of the last pool</h3>\n<table><tr><th class=\"l\">how it ended</th><th>structures</th><th>share</th></tr>\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(e -> b.append(String.format(Locale.ROOT,
                "<tr><td class=\"l\">%s</td><td>%d</td><td>%.0f %%</td></tr>\n", Html.escape(e.getKey()), e.getValue(), 100.0 * e.getValue() / n)));
        return b.append("</table>\n").toString();
    }
}
