package org.crucible.driver.report;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.crucible.driver.campaign.Stage;
import org.crucible.driver.oracle.OracleCallLedger;
import org.crucible.driver.oracle.JobCores;
import org.crucible.driver.oracle.OracleCoreHours;
import org.crucible.driver.oracle.OracleCores;
import org.crucible.driver.spark.ComputeTimeLog;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;

/**
 * Report section "Compute cost": core-hours per cycle, per stage, and over the campaign's wall time.
 *
 * <ul>
 *   <li>Oracle labels: core-hours of cycle t = sum over the training store's records of cycle t (labels and failures
 *       alike, both were paid for) of wall time (s, each record's provenance) x cores per calculation / 3600. For a
 *       cluster oracle, cores per calculation are those the task farm recorded with the DFT job named in the label's
 *       provenance when it submitted that job ({@link JobCores}: tasks x cpus_per_task of the job's request), so a job
 *       harvested by a resumed run after the profile changed keeps its own figure. Otherwise (embedded calculator: 1;
 *       local pw.x: {@code oracle.mpi_ranks}; a farm written before jobs recorded their resources) they are those
 *       recorded in {@code compute-time.jsonl} by the driver run in effect when the label was made; a campaign that
 *       recorded none falls back to the profile as it reads now, and says so. A table gives single points and
 *       core-hours per distinct figure.</li>
 *   <li>Final validation: wall time of the {@code validate} stage x cores per calculation (a cluster oracle: the
 *       cores recorded with the validation's jobs, the largest when they differ); exact when the relaxations
 *       run one after another (embedded and local oracles), a lower bound for a cluster oracle running several at
 *       once.</li>
 *   <li>Reference single points of tracked crystals ({@code tracking.references}): never training labels, kept in
 *       {@code references/labels/}; counted the same way (wall time in each kept record x cores), as their own row of the
 *       per-stage table and their own line of the timeline. A table gives every kind of oracle call
 *       ({@link OracleCoreHours}), with the calls the oracle ledger records beyond the kept records.</li>
 *   <li>Spark executors: the CPU time each stage's tasks spent on executors ({@link ComputeTimeLog}), as core-hours.</li>
 *   <li>The driver: its own CPU time per stage and start-up ({@link org.crucible.driver.spark.DriverCpu}), as core-hours.</li>
 * </ul>
 * The timeline accumulates each stage's core-hours at the moment they were spent (Spark job end, label arrival, end of
 * the validation), against hours since the campaign's first recorded event.
 */
final class CostSection {
    private CostSection() {
    }

    /** The oracle label stage and the validation, as the timeline and the table name them. */
    private static final String LABEL = "label (oracle)";
    private static final String VALIDATE = "validate (oracle)";
    private static final String REFERENCE = "reference single points (oracle)";

    static void write(CampaignData d, ReportPage page) throws IOException {
        ComputeTimeLog.Contents compute = ComputeTimeLog.read(d.dir());
        OracleCores now = OracleCores.of(d.config().oracle());
        JobCores jobCores = JobCores.read(d.dir());
        Set<String> sources = new LinkedHashSet<>();
        TreeMap<Integer, double[]> byCycle = new TreeMap<>(); // wall seconds, single points, failures, core-seconds
        Map<String, double[]> byRequest = new LinkedHashMap<>(); // cores source -> single points, wall seconds, core-seconds, cores
        Map<String, Set<String>> jobsOf = new LinkedHashMap<>();
        List<double[]> labelEvents = new ArrayList<>(); // epoch seconds, core-hours
        boolean known = true;
        for (LabelRecord r : d.records()) {
            OracleCores oc = OracleCoreHours.cores(jobCores, compute, now, r.provenance(), sources);
            double cores = oc.cores();
            known &= !Double.isNaN(cores);
            double[] q = byRequest.computeIfAbsent(oc.source(), k -> new double[] {0, 0, 0, cores});
            q[0]++;
            q[1] += r.provenance().wallTimeSeconds();
            q[2] += r.provenance().wallTimeSeconds() * cores;
            jobsOf.computeIfAbsent(oc.source(), k -> new LinkedHashSet<>()).add(r.provenance().jobId());
            double[] c = byCycle.computeIfAbsent(r.provenance().cycle(), k -> new double[4]);
            c[0] += r.provenance().wallTimeSeconds();
            c[1]++;
            if (r.status() != LabelStatus.OK) c[2]++;
            c[3] += r.provenance().wallTimeSeconds() * cores;
            labelEvents.add(new double[] {epoch(r.provenance().created()), r.provenance().wallTimeSeconds() * cores / 3600});
        }
        List<LabelRecord> references = OracleCoreHours.referenceLabels(d.dir());
        List<double[]> referenceEvents = new ArrayList<>();
        double referenceCoreHours = 0;
        for (LabelRecord r : references) {
            double h = r.provenance().wallTimeSeconds() * OracleCoreHours.cores(jobCores, compute, now, r.provenance(), sources).cores() / 3600;
            referenceCoreHours += h;
            referenceEvents.add(new double[] {epoch(r.provenance().created()), h});
        }
        String unit = known ? "core-hours (core\u00b7h)" : "wall hours (h)";
        page.section("Compute cost", "Core-hours per cycle, per stage and over the campaign's wall time: oracle labels and reference single points from the wall "
                + "time in each kept record's provenance x cores per calculation (" + String.join("; ", sources.isEmpty() ? Set.of(now.source()) : sources)
                + "), the final validation from the validate stage's wall time, Spark stages from the CPU time their tasks spent on executors.");
        SvgPlot p = new SvgPlot("core-hours", "Oracle " + (known ? "core-hours" : "wall hours") + " by cycle", "cycle", "oracle " + unit);
        double[] x = new double[byCycle.size()], per = new double[x.length], cum = new double[x.length];
        StringBuilder t = new StringBuilder("<table><tr><th>cycle</th><th>single points</th><th>failed</th><th>wall time (h)</th>"
                + "<th>core-hours</th><th>cumulative core-hours</th></tr>\n");
        int i = 0;
        double total = 0;
        for (Map.Entry<Integer, double[]> e : byCycle.entrySet()) {
            double hours = e.getValue()[0] / 3600;
            double h = known ? e.getValue()[3] / 3600 : hours;
            total += h;
            x[i] = e.getKey();
            per[i] = h;
            cum[i] = total;
            i++;
            t.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.0f</td><td>%.0f</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", e.getKey(),
                    e.getValue()[1], e.getValue()[2], hoursText(hours), known ? hoursText(h) : "unknown", known ? hoursText(total) : "unknown"));
        }
        if (x.length > 0) {
            p.bars("per cycle", x, per, Palette.category(0), 0.6);
            p.line("cumulative", x, cum, Palette.category(1), false);
            p.note(String.format(Locale.ROOT, "%s in all over %d cycle(s)", hoursText(total) + (known ? " core\u00b7h" : " h"), x.length));
        } else {
            p.note("no oracle labels stored yet");
        }
        double validateSeconds = d.state().stageSeconds().getOrDefault("validate", 0.0);
        double validateCores = OracleCoreHours.validationCores(jobCores, compute, now);
        double validateCoreHours = validateSeconds * validateCores / 3600;
        OracleCoreHours kinds = OracleCoreHours.of(d.dir(), now, d.records(), validateSeconds, d.state().validationSinglePoints());
        Map<String, Double> cpu = compute.cpuSecondsByStage();
        SvgPlot timeline = timeline(d, compute, labelEvents, referenceEvents, validateCoreHours);
        page.plots(p, timeline).html(t.append("</table>\n").toString()).html(kindTable(kinds)).html(requestTable(byRequest, jobsOf, jobCores))
                .html(stageTable(d, cpu, compute.driverCpuSecondsByStage(), known ? total : Double.NaN, references.isEmpty() ? null : referenceCoreHours,
                        validateSeconds, validateCoreHours, compute))
                .html(validation(d, validateCores));
    }

    /** Oracle single points and core-hours per distinct core count and where it comes from (for a cluster: per resource request). */
    private static String requestTable(Map<String, double[]> byRequest, Map<String, Set<String>> jobsOf, JobCores jobCores) {
        if (byRequest.isEmpty()) return "";
        StringBuilder b = new StringBuilder("<h3>Oracle labels by cores per calculation</h3>\n<table><tr><th class=\"l\">cores per calculation (source)</th>"
                + "<th>cores</th><th>jobs</th><th>single points</th><th>wall time (h)</th><th>core-hours</th></tr>\n");
        for (Map.Entry<String, double[]> e : byRequest.entrySet()) {
            double[] q = e.getValue();
            long jobs = jobsOf.get(e.getKey()).stream().filter(j -> !j.equals("-") && !j.endsWith(":-")).count();
            b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%s</td><td>%s</td><td>%.0f</td><td>%s</td><td>%s</td></tr>\n",
                    Html.escape(e.getKey()), Double.isNaN(q[3]) ? "unknown" : String.format(Locale.ROOT, "%.0f", q[3]), jobs == 0 ? "-" : Long.toString(jobs),
                    q[0], hoursText(q[1] / 3600), Double.isNaN(q[2]) ? "unknown" : hoursText(q[2] / 3600)));
        }
        b.append("</table>\n");
        if (jobCores.problem() != null) b.append("<p>").append(Html.escape(jobCores.problem())).append("; the driver runs' figures are used instead.</p>\n");
        return b.toString();
    }

    private static double epoch(Instant t) {
        return t.getEpochSecond() + t.getNano() * 1e-9;
    }

    /**
     * Cumulative core-hours of each stage against the campaign's wall time: Spark stages at each job's end, oracle labels
     * as they arrived, the validation when its stage ended.
     */
    private static SvgPlot timeline(CampaignData d, ComputeTimeLog.Contents compute, List<double[]> labelEvents, List<double[]> referenceEvents,
                                    double validateCoreHours) throws IOException {
        Map<String, List<double[]>> events = new LinkedHashMap<>();
        for (Stage s : Stage.values()) events.put(s.name().toLowerCase(Locale.ROOT), new ArrayList<>());
        for (ComputeTimeLog.SparkJob j : compute.jobs()) {
            events.computeIfAbsent(j.stage(), k -> new ArrayList<>()).add(new double[] {epoch(j.end()), j.executorCpuSeconds() / 3600});
        }
        events.put(LABEL, labelEvents);
        if (!referenceEvents.isEmpty()) events.put(REFERENCE, referenceEvents);
        List<double[]> validate = new ArrayList<>();
        if (validateCoreHours > 0) {
            for (TimeSection.Execution x : TimeSection.executions(d.dir())) {
                if (x.stage().equals("validate") && x.end() != null) validate.add(new double[] {epoch(x.end()), validateCoreHours});
            }
            if (validate.size() > 1) validate.replaceAll(v -> new double[] {v[0], validateCoreHours / validate.size()});
        }
        events.put(VALIDATE, validate);
        double t0 = Double.POSITIVE_INFINITY, t1 = Double.NEGATIVE_INFINITY;
        for (ComputeTimeLog.Run r : compute.runs()) t0 = Math.min(t0, epoch(r.time()));
        for (List<double[]> l : events.values()) {
            for (double[] e : l) {
                t0 = Math.min(t0, e[0]);
                t1 = Math.max(t1, e[0]);
            }
        }
        boolean minutes = t1 - t0 < 2 * 3600;
        double scale = minutes ? 60 : 3600;
        SvgPlot p = new SvgPlot("core-hours-timeline", "Core-hours over the campaign, per stage", (minutes ? "minutes" : "hours") + " since the campaign started",
                "cumulative core-hours (core\u00b7h)");
        int k = 0;
        double total = 0;
        for (Map.Entry<String, List<double[]>> e : events.entrySet()) {
            List<double[]> l = e.getValue();
            if (l.isEmpty()) continue;
            l.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] x = new double[l.size()], y = new double[l.size()];
            double c = 0;
            for (int i = 0; i < l.size(); i++) {
                c += l.get(i)[1];
                x[i] = (l.get(i)[0] - t0) / scale;
                y[i] = c;
            }
            total += c;
            p.line(e.getKey(), x, y, Palette.category(k++), e.getKey().contains("oracle"));
        }
        if (k == 0) p.note("nothing recorded yet");
        else p.note(String.format(Locale.ROOT, "%s core\u00b7h in all; solid: CPU time of Spark tasks on executors, dashed: oracle calculations", hoursText(total)));
        if (compute.jobs().isEmpty()) p.note("no Spark executor CPU time recorded (compute-time.jsonl)");
        if (compute.tornLines() > 0) p.note(compute.tornLines() + " torn line(s) in compute-time.jsonl not counted");
        return p;
    }

    /**
     * Core-hours per stage: executor CPU (Spark), the driver's own CPU ({@link org.crucible.driver.spark.DriverCpu}), oracle
     * (labels, validation), their sum, and the stage's wall time. An embedded calculator labels on the driver: its CPU
     * is the oracle column of LABEL and VALIDATE, so those stages' driver CPU is shown but not added to the total again.
     */
    private static String stageTable(CampaignData d, Map<String, Double> cpu, Map<String, Double> driver, double labelCoreHours, Double referenceCoreHours,
                                     double validateSeconds, double validateCoreHours, ComputeTimeLog.Contents compute) {
        boolean oracleOnDriver = !(d.config().oracle() instanceof org.crucible.config.campaign.Oracle.Cluster
                || d.config().oracle() instanceof org.crucible.config.campaign.Oracle.LocalDft);
        String noDriver = compute.driverCpu().isEmpty() ? "not recorded" : "-";
        StringBuilder b = new StringBuilder("<h3>Core-hours per stage</h3>\n<table><tr><th class=\"l\">stage</th><th>wall time (h)</th>"
                + "<th>executor CPU (core\u00b7h)</th><th>driver CPU (core\u00b7h)</th><th>oracle (core\u00b7h)</th><th>total (core\u00b7h)</th></tr>\n");
        double sum = 0;
        if (driver.containsKey(org.crucible.driver.spark.DriverCpu.STARTUP)) {
            double c = driver.get(org.crucible.driver.spark.DriverCpu.STARTUP) / 3600;
            sum += c;
            b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">driver start-up</td><td>-</td><td>-</td><td>%s</td><td>-</td><td>%s</td></tr>\n",
                    hoursText(c), hoursText(c)));
        }
        for (Stage s : Stage.values()) {
            String n = s.name().toLowerCase(Locale.ROOT);
            Double wall = d.state().stageSeconds().get(n);
            Double c = cpu.get(n);
            Double dc = driver.get(n);
            boolean oracleStage = s == Stage.LABEL || s == Stage.VALIDATE;
            double oracle = s == Stage.LABEL ? labelCoreHours : s == Stage.VALIDATE && validateSeconds > 0 ? validateCoreHours : 0;
            if (wall == null && c == null && dc == null) continue;
            double row = (c == null ? 0 : c / 3600) + (dc == null || (oracleStage && oracleOnDriver) ? 0 : dc / 3600) + oracle;
            sum += row;
            b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", n,
                    wall == null ? "-" : hoursText(wall / 3600), c == null ? (compute.jobs().isEmpty() ? "not recorded" : "-") : hoursText(c / 3600),
                    dc == null ? noDriver : hoursText(dc / 3600) + (oracleStage && oracleOnDriver ? " (the oracle's)" : ""),
                    oracleStage ? (Double.isNaN(oracle) ? "unknown" : hoursText(oracle)) : "-",
                    Double.isNaN(row) ? "unknown" : hoursText(row)));
        }
        if (referenceCoreHours != null) {
            // paid during the fit stage (the references are relaxed by each new model), never training labels
            sum += referenceCoreHours;
            b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>-</td><td>-</td><td>-</td><td>%s</td><td>%s</td></tr>\n", REFERENCE,
                    Double.isNaN(referenceCoreHours) ? "unknown" : hoursText(referenceCoreHours), Double.isNaN(referenceCoreHours) ? "unknown" : hoursText(referenceCoreHours)));
        }
        if (cpu.containsKey(ComputeTimeLog.OTHER)) {
            double c = cpu.get(ComputeTimeLog.OTHER) / 3600;
            sum += c;
            b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">outside a stage</td><td>-</td><td>%s</td><td>-</td><td>-</td><td>%s</td></tr>\n", hoursText(c), hoursText(c)));
        }
        b.append(String.format(Locale.ROOT, "<tr><th class=\"l\">total</th><th></th><th></th><th></th><th></th><th>%s</th></tr>\n</table>\n",
                Double.isNaN(sum) ? "unknown" : hoursText(sum)));
        if (!compute.driverCpu().isEmpty()) {
            double run = compute.driverCpuSeconds();
            double staged = driver.values().stream().mapToDouble(Double::doubleValue).sum();
            b.append(String.format(Locale.ROOT, "<p>Driver CPU: the driver JVM's own CPU time over %d run(s), %s core\u00b7h (process CPU time from the operating "
                            + "system at each record of compute-time.jsonl%s); %s core\u00b7h of it falls in completed stage executions and start-ups, the rest "
                            + "in stages a stopped run did not complete.</p>\n", compute.driverCpu().size(), hoursText(run / 3600),
                    compute.driverCpu().stream().anyMatch(org.crucible.driver.spark.DriverCpu::executorsInProcess)
                            ? ", less the executors' CPU time where Spark ran in the driver JVM (local master)" : "",
                    hoursText(Math.min(run, staged) / 3600)));
        }
        return b.toString();
    }

    /** Oracle core-hours by kind of call ({@link OracleCoreHours}): training labels, reference single points, validation, unkept calls. */
    private static String kindTable(OracleCoreHours kinds) {
        StringBuilder b = new StringBuilder("<h3>Oracle calls by kind</h3>\n<table data-table=\"oracle-kinds\"><tr><th class=\"l\">kind</th>"
                + "<th>single points</th><th>failed</th><th>wall time (h)</th><th>core-hours</th></tr>\n");
        for (OracleCoreHours.Row r : kinds.rows()) {
            b.append(String.format(Locale.ROOT, "<tr data-kind=\"%s\"><td class=\"l\">%s</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td></tr>\n", r.kind(),
                    Html.escape(r.description()), r.singlePoints(), r.failed(), Double.isNaN(r.wallSeconds()) ? "not kept" : hoursText(r.wallSeconds() / 3600),
                    Double.isNaN(r.wallSeconds()) ? "-" : Double.isNaN(r.coreSeconds()) ? "unknown" : hoursText(r.coreHours())));
        }
        double total = kinds.totalCoreHours();
        b.append(String.format(Locale.ROOT, "<tr><th class=\"l\">total</th><th></th><th></th><th></th><th>%s</th></tr>\n</table>\n",
                Double.isNaN(total) ? "unknown" : hoursText(total)));
        return b.toString();
    }

    /** Hours with enough digits to tell small figures apart (an embedded calculator's labels take milliseconds). */
    private static String hoursText(double h) {
        return h >= 100 ? String.format(Locale.ROOT, "%.0f", h) : h >= 0.1 ? String.format(Locale.ROOT, "%.2f", h) : String.format(Locale.ROOT, "%.3g", h);
    }

    /** Final-validation relaxations: single points from {@code state.json}, relaxations from the oracle ledger, and how their core-hours are counted. */
    private static String validation(CampaignData d, double cores) {
        OracleCallLedger.Contents c = OracleCallLedger.read(d.dir().resolve(OracleCallLedger.FILE));
        long relax = c.calls().stream().filter(x -> x.kind().equals("relax")).count();
        return String.format(Locale.ROOT, "<p>Final validation: %d oracle single points%s; counted in the core-hours as the validate stage's wall time x %s "
                        + "core(s) per calculation%s.</p>\n", d.state().validationSinglePoints(), c.calls().isEmpty() ? " (no oracle ledger in the campaign directory)"
                        : String.format(Locale.ROOT, " in %d relaxation(s) (oracle-calls.jsonl%s)", relax, c.tornLines() > 0 ? ", " + c.tornLines() + " torn line(s)" : ""),
                Double.isNaN(cores) ? "unknown" : String.format(Locale.ROOT, "%.0f", cores),
                d.config().oracle() instanceof org.crucible.config.campaign.Oracle.Cluster ? " (a lower bound when relaxations ran at the same time)" : "");
    }
}
