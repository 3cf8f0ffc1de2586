package org.crucible.driver.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible status DIR [--json] [--watch [SECONDS]]}: where a campaign is; with {@code --watch} the summary is
 * printed again every SECONDS (default 5; the screen is cleared first when writing to a terminal) until the campaign
 * has finished, or until Ctrl-C.
 */
@Command(name = "status", description = "Show a campaign's state: cycle, oracle calls and failures, best energies, time per stage.")
public final class StatusCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "campaign directory")
    Path dir;

    @Option(names = "--json", description = "print JSON (fields: state, cycles, oracle_single_points, oracle_failures, validation_single_points, best, hull (variable composition), ...)")
    boolean json;

    @Option(names = "--watch", arity = "0..1", fallbackValue = "5", paramLabel = "SECONDS",
            description = "refresh every SECONDS (default 5) until the campaign finishes or Ctrl-C")
    Double watch;

    /** Waits between refreshes; tests replace it so they do not sleep. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    Sleeper sleeper = Thread::sleep;

    @Override
    public Integer call() throws JsonProcessingException {
        CampaignCli.requireCampaign(dir);
        if (watch == null) return print(CampaignCli.status(dir));
        if (!(watch >= 0.1) || !Double.isFinite(watch)) throw new BadInputException("--watch: the interval must be at least 0.1 s, got " + watch);
        boolean terminal = System.console() != null && !json;
        PrintWriter out = spec.commandLine().getOut();
        while (true) {
            Map<String, Object> s = CampaignCli.status(dir);
            if (terminal) out.print("\033[H\033[2J");
            else if (!json) out.println("---- " + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            print(s);
            if (FINAL.contains(String.valueOf(s.get("state")))) return 0;
            try {
                sleeper.sleep(Math.round(watch * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 130;
            }
        }
    }

    /** States after which nothing changes any more (docs/campaign.md, "Status"). */
    static final java.util.Set<String> FINAL = java.util.Set.of("converged", "max-cycles", "budget", "no-candidates", "failed");

    private int print(Map<String, Object> s) throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(CampaignCli.JSON.writeValueAsString(s));
        } else {
            out.print(text(s, dir));
        }
        out.flush();
        return 0;
    }

    /** The status for people: header, cycle table, time per stage, best structures, Spark stages and UI, files. */
    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> s, Path dir) {
        StringBuilder b = new StringBuilder();
        java.util.Formatter f = new java.util.Formatter(b, java.util.Locale.ROOT);
        f.format("campaign %s: %s (next stage %s)   %s%n", s.get("name"), s.get("state"), s.get("next_stage"), dir);
        f.format("oracle: %s single points (%s failed), %s validation single points%n", s.get("oracle_single_points"), s.get("oracle_failures"),
                s.get("validation_single_points"));
        List<Map<String, Object>> rows = (List<Map<String, Object>>) s.get("cycle_table");
        if (rows != null && !rows.isEmpty()) {
            b.append(System.lineSeparator());
            TextTable t = new TextTable("cycle", "labels", "clusters", "selected", "lowest E (eV/atom)", "change (meV/atom)", "fit RMSE E (meV/atom)",
                    "fit RMSE F (meV/A)", "time", "U of selected (median)");
            for (Map<String, Object> r : rows) {
                t.row(str(r.get("cycle")), str(r.get("labels")), str(r.get("clusters")), str(r.get("selected")), num(r.get("lowest_eV_per_atom"), "%.4f", 1),
                        num(r.get("change_eV_per_atom"), "%.1f", 1000), num(r.get("fit_rmse_energy_meV_per_atom"), "%.1f", 1),
                        num(r.get("fit_rmse_forces_meV_per_A"), "%.0f", 1), r.get("seconds") == null ? "-" : org.crucible.driver.spark.ProgressBar.clock((Double) r.get("seconds")),
                        num(r.get("selected_uncertainty_median"), "%.3f", 1));
            }
            b.append(t.render());
        }
        Map<String, Double> st = (Map<String, Double>) s.get("stage_seconds");
        if (st != null && !st.isEmpty()) {
            double total = 0;
            List<String> parts = new java.util.ArrayList<>();
            for (var e : st.entrySet()) {
                total += e.getValue();
                parts.add(e.getKey() + " " + org.crucible.driver.spark.ProgressBar.clock(e.getValue()));
            }
            f.format("%ntime per stage: %s (total %s)%n", String.join(", ", parts), org.crucible.driver.spark.ProgressBar.clock(total));
        }
        Map<String, Double> cpu = (Map<String, Double>) s.get("executor_cpu_seconds");
        if (cpu != null && !cpu.isEmpty()) {
            double total = 0;
            List<String> parts = new java.util.ArrayList<>();
            for (var e : cpu.entrySet()) {
                total += e.getValue();
                parts.add(e.getKey() + " " + org.crucible.driver.spark.ProgressBar.clock(e.getValue()));
            }
            f.format("executor CPU per stage: %s (total %s, %s core-h%s)%n", String.join(", ", parts), org.crucible.driver.spark.ProgressBar.clock(total),
                    String.format(java.util.Locale.ROOT, total >= 360 ? "%.2f" : "%.2g", total / 3600),
                    s.get("executor_cores") == null ? "" : " on " + s.get("executor_cores") + " executor core(s)");
        }
        Map<String, Double> driverCpu = (Map<String, Double>) s.get("driver_cpu_seconds_by_stage");
        if (driverCpu != null && s.get("driver_cpu_seconds") instanceof Number total) {
            List<String> parts = new java.util.ArrayList<>();
            for (var e : driverCpu.entrySet()) parts.add(e.getKey() + " " + org.crucible.driver.spark.ProgressBar.clock(e.getValue()));
            f.format("driver CPU (its own, outside Spark tasks): %s over %s run(s), %s core-h: %s%n", org.crucible.driver.spark.ProgressBar.clock(total.doubleValue()),
                    s.get("driver_cpu_runs"), String.format(java.util.Locale.ROOT, total.doubleValue() >= 360 ? "%.2f" : "%.2g", total.doubleValue() / 3600),
                    String.join(", ", parts));
        }
        Map<String, Object> oracleHours = (Map<String, Object>) s.get("oracle_core_hours");
        if (oracleHours != null) b.append(oracleCoreHoursLine(oracleHours));
        List<Map<String, Object>> best = (List<Map<String, Object>>) s.get("best");
        if (best != null && !best.isEmpty()) {
            b.append(System.lineSeparator()).append("best structures (validated with the oracle):").append(System.lineSeparator());
            double lowest = best.stream().mapToDouble(x -> ((Number) x.get("energy_eV_per_atom")).doubleValue()).min().orElse(Double.NaN);
            TextTable t = new TextTable("rank", "E (eV/atom)", "above (meV/atom)", "model E (eV/atom)", "space group", "relaxation", "file");
            int rank = 1;
            for (Map<String, Object> x : best) {
                double e = ((Number) x.get("energy_eV_per_atom")).doubleValue();
                t.row(String.valueOf(rank++), String.format(java.util.Locale.ROOT, "%.4f", e), String.format(java.util.Locale.ROOT, "%.1f", 1000 * (e - lowest)),
                        num(x.get("predicted_eV_per_atom"), "%.4f", 1), x.get("space_group") == null ? "n/a" : String.valueOf(x.get("space_group")),
                        str(x.get("relaxation")), relative(dir, String.valueOf(x.get("file"))));
            }
            b.append(t.render());
        }
        Map<String, Object> hull = (Map<String, Object>) s.get("hull");
        if (hull != null) {
            b.append(System.lineSeparator()).append("convex hull of the validated structures (x = fraction of ")
                    .append(((List<?>) hull.get("elements")).get(1)).append("):").append(System.lineSeparator());
            TextTable t = new TextTable("formula", "x", "E (eV/atom)", "H_f (eV/atom)", "above hull (meV/atom)", "on hull", "space group");
            for (Map<String, Object> r : (List<Map<String, Object>>) hull.get("rows")) {
                t.row(str(r.get("formula")), num(r.get("x"), "%.3f", 1), num(r.get("energy_eV_per_atom"), "%.4f", 1), num(r.get("formation_eV_per_atom"), "%.4f", 1),
                        num(r.get("above_hull_eV_per_atom"), "%.1f", 1000), Boolean.TRUE.equals(r.get("on_hull")) ? "yes" : "no", str(r.get("space_group")));
            }
            b.append(t.render());
        }
        if (s.get("reference_tracking") != null) b.append(referenceTable(CampaignCli.JSON.valueToTree(s.get("reference_tracking"))));
        Map<String, Object> spark = (Map<String, Object>) s.get("spark");
        if (spark != null) {
            List<Map<String, Object>> active = (List<Map<String, Object>>) spark.getOrDefault("active", List.of());
            Object ui = spark.get("ui_url");
            if ("running".equals(s.get("state"))) {
                b.append(System.lineSeparator());
                if (ui != null) {
                    f.format("Spark UI: %s%s%n", ui, tunnelHint(String.valueOf(ui)));
                }
                if (active.isEmpty()) {
                    f.format("Spark: no stage running (updated %s)%n", spark.get("updated"));
                }
                for (Map<String, Object> a : active) {
                    int tasks = ((Number) a.get("tasks")).intValue();
                    int done = ((Number) a.get("done")).intValue();
                    int failed = ((Number) a.get("failed")).intValue();
                    long elapsed = java.time.Duration.between(java.time.Instant.parse(String.valueOf(a.get("started"))),
                            java.time.Instant.parse(String.valueOf(spark.get("updated")))).toNanos();
                    f.format("Spark stage %s: %s, %s tasks running%n", a.get("id"),
                            org.crucible.driver.spark.ProgressBar.render(tasks, done, failed, String.valueOf(a.get("name")), 30, Math.max(0, elapsed)), a.get("running"));
                }
            }
        }
        b.append(System.lineSeparator());
        if (s.get("model_file") != null) f.format("model: %s%n", s.get("model_file"));
        f.format("log: %s%n", s.get("log"));
        return b.toString();
    }

    /**
     * One line of oracle core-hours by kind of call, e.g. {@code oracle core-h: training labels 0.0042 (13 single
     * points, 0 failed), reference single points 0.00031 (2), final validation 0.0011 (5) (total 0.0056 core-h)}.
     */
    @SuppressWarnings("unchecked")
    static String oracleCoreHoursLine(Map<String, Object> h) {
        List<String> parts = new java.util.ArrayList<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) h.get("rows")) {
            String what = switch (String.valueOf(r.get("kind"))) {
                case org.crucible.driver.oracle.OracleCoreHours.LABELS -> "training labels";
                case org.crucible.driver.oracle.OracleCoreHours.REFERENCE -> "reference single points";
                case org.crucible.driver.oracle.OracleCoreHours.VALIDATION -> "final validation";
                default -> "calls without a kept record";
            };
            Object ch = r.get("core_hours");
            String hours = r.get("wall_hours") == null ? "wall time not kept" : ch == null ? "unknown" : coreHours(((Number) ch).doubleValue());
            String failed = ((Number) r.get("failed")).longValue() > 0 ? ", " + r.get("failed") + " failed" : "";
            parts.add(what + " " + hours + " (" + r.get("single_points") + " single points" + failed + ")");
        }
        Object total = h.get("total_core_hours");
        return String.format(java.util.Locale.ROOT, "oracle core-h: %s (total %s core-h)%n", String.join(", ", parts),
                total == null ? "unknown" : coreHours(((Number) total).doubleValue()));
    }

    private static String coreHours(double h) {
        return String.format(java.util.Locale.ROOT, h >= 0.1 ? "%.2f" : "%.2g", h);
    }

    /**
     * The tracked reference crystals ({@code reference_tracking}, docs/gap-rss.md): one row per fitted model with
     * E_model - E_oracle per reference in meV/atom (n/a: no label that cycle) and the largest |error|, then the stop
     * rule's streak when the campaign has one. Empty before the first fit.
     */
    static String referenceTable(com.fasterxml.jackson.databind.JsonNode t) {
        com.fasterxml.jackson.databind.JsonNode cycles = t.path("cycles");
        if (!cycles.isArray() || cycles.isEmpty()) return "";
        List<String> names = new java.util.ArrayList<>();
        t.path("references").forEach(n -> names.add(n.asText()));
        List<String> header = new java.util.ArrayList<>(List.of("cycle", "model"));
        header.addAll(names);
        header.add("largest |error|");
        TextTable table = new TextTable(header.toArray(String[]::new));
        for (var c : cycles) {
            List<String> row = new java.util.ArrayList<>(List.of(c.path("cycle").asText(), c.path("model").asText()));
            for (String n : names) row.add(signed(c.path("errors_meV_per_atom").path(n)));
            var largest = c.path("max_abs_error_meV_per_atom");
            row.add(largest.isNumber() ? String.format(java.util.Locale.ROOT, "%.1f", largest.asDouble()) : "n/a");
            table.row(row.toArray(String[]::new));
        }
        StringBuilder b = new StringBuilder(System.lineSeparator());
        b.append("tracked reference crystals (E_model - E_oracle on the model-relaxed cell, meV/atom; ").append(t.path("oracle_single_points").asInt())
                .append(" reference single points, not training labels):").append(System.lineSeparator()).append(table.render());
        var stop = t.path("stop");
        if (stop.isObject()) {
            b.append(String.format(java.util.Locale.ROOT, "stop rule: every |error| <= %s meV/atom for %d fits in a row; streak %d%s%n",
                    stop.path("tol_meV_per_atom").asText(), stop.path("cycles").asInt(), stop.path("streak").asInt(),
                    stop.path("converged").asBoolean() ? ", converged" : ""));
        }
        return b.toString();
    }

    private static String signed(com.fasterxml.jackson.databind.JsonNode v) {
        return v.isNumber() && Double.isFinite(v.asDouble()) ? String.format(java.util.Locale.ROOT, "%+.1f", v.asDouble()) : "n/a";
    }

    /** For a UI on this machine's loopback: how to reach it from a laptop through the login node. */
    static String tunnelHint(String url) {
        var m = java.util.regex.Pattern.compile("^https?://(127\\.0\\.0\\.1|localhost):(\\d+)").matcher(url);
        if (!m.find()) return "";
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "THIS_HOST";
        }
        return "  (from your laptop: ssh -L " + m.group(2) + ":127.0.0.1:" + m.group(2) + " " + host + ", then open http://localhost:" + m.group(2) + ")";
    }

    private static String relative(Path dir, String file) {
        Path p = Path.of(file);
        Path abs = dir.toAbsolutePath().normalize();
        Path fa = p.toAbsolutePath().normalize();
        return fa.startsWith(abs) ? abs.relativize(fa).toString() : file;
    }

    private static String str(Object o) {
        return o == null ? "-" : String.valueOf(o);
    }

    private static String num(Object o, String fmt, double scale) {
        if (!(o instanceof Number n) || !Double.isFinite(n.doubleValue())) return "-";
        return String.format(java.util.Locale.ROOT, fmt, n.doubleValue() * scale);
    }
}
