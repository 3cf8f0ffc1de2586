package org.crucible.driver.report;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.config.ClusterProfile;
import org.crucible.config.campaign.Oracle;
import org.crucible.driver.oracle.OracleCallLedger;
import org.crucible.driver.oracle.OracleFactory;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;

/**
 * Report section "Compute cost": the oracle's core-hours per cycle and cumulated over the campaign.
 *
 * <p>core-hours of cycle t = sum over the training store's records of cycle t (labels and failures alike, both were
 * paid for) of wall time (s, from each record's provenance) x cores per calculation / 3600. Cores per calculation come
 * from the campaign file: 1 for an embedded calculator, {@code oracle.mpi_ranks} for a local pw.x, ntasks x cpusPerTask
 * of the cluster profile (as the profile reads now) for a cluster oracle; when the profile cannot be read the plot
 * shows wall hours and says why. Final-validation relaxations are counted in single points from the oracle ledger
 * ({@code oracle-calls.jsonl}); their wall time is not recorded. The campaign records no Spark executor CPU time: the
 * driver's per-stage wall time is in the "Time" section.
 */
final class CostSection {
    private CostSection() {
    }

    /** Cores per oracle calculation, or NaN with the reason when unknown. */
    record Cores(double cores, String source) {
    }

    static void write(CampaignData d, ReportPage page) {
        Cores cores = cores(d.config().oracle());
        boolean known = Double.isFinite(cores.cores());
        String unit = known ? "core-hours (core\u00b7h)" : "wall hours (h)";
        TreeMap<Integer, double[]> byCycle = new TreeMap<>(); // wall seconds, single points, failures
        for (LabelRecord r : d.records()) {
            double[] c = byCycle.computeIfAbsent(r.provenance().cycle(), k -> new double[3]);
            c[0] += r.provenance().wallTimeSeconds();
            c[1]++;
            if (r.status() != LabelStatus.OK) c[2]++;
        }
        page.section("Compute cost", "Oracle cost per cycle and cumulated, from the wall time in each stored label's provenance; " + cores.source() + ".");
        SvgPlot p = new SvgPlot("core-hours", "Oracle " + (known ? "core-hours" : "wall hours") + " by cycle", "cycle", "oracle " + unit);
        double[] x = new double[byCycle.size()], per = new double[x.length], cum = new double[x.length];
        StringBuilder t = new StringBuilder("<table><tr><th>cycle</th><th>single points</th><th>failed</th><th>wall time (h)</th><th>cores each</th>"
                + "<th>core-hours</th><th>cumulative core-hours</th></tr>\n");
        int i = 0;
        double total = 0;
        for (Map.Entry<Integer, double[]> e : byCycle.entrySet()) {
            double hours = e.getValue()[0] / 3600;
            double h = known ? hours * cores.cores() : hours;
            total += h;
            x[i] = e.getKey();
            per[i] = h;
            cum[i] = total;
            i++;
            t.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.0f</td><td>%.0f</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", e.getKey(),
                    e.getValue()[1], e.getValue()[2], hoursText(hours), known ? String.format(Locale.ROOT, "%.0f", cores.cores()) : "unknown",
                    known ? hoursText(h) : "unknown", known ? hoursText(total) : "unknown"));
        }
        if (x.length > 0) {
            p.bars("per cycle", x, per, Palette.category(0), 0.6);
            p.line("cumulative", x, cum, Palette.category(1), false);
            p.note(String.format(Locale.ROOT, "%s in all over %d cycle(s); %s", hoursText(total) + (known ? " core\u00b7h" : " h"), x.length,
                    known ? cores.cores() == 1 ? "1 core per calculation" : String.format(Locale.ROOT, "%.0f cores per calculation", cores.cores())
                            : "cores per calculation unknown"));
        } else {
            p.note("no oracle labels stored yet");
        }
        p.note("Spark executor CPU time: not recorded by the campaign (driver stage times: section Time)");
        page.plots(p).html(t.append("</table>\n").toString()).html(validation(d));
    }

    /** Hours with enough digits to tell small figures apart (an embedded calculator's labels take milliseconds). */
    private static String hoursText(double h) {
        return h >= 100 ? String.format(Locale.ROOT, "%.0f", h) : h >= 0.1 ? String.format(Locale.ROOT, "%.2f", h) : String.format(Locale.ROOT, "%.3g", h);
    }

    static Cores cores(Oracle o) {
        if (o instanceof Oracle.LocalDft l) return new Cores(l.mpiRanks(), "pw.x on this machine with " + l.mpiRanks() + " MPI rank(s) (oracle.mpi_ranks)");
        if (o instanceof Oracle.Cluster c) {
            try {
                ClusterProfile p = OracleFactory.profile(c);
                // the code's resources; with scale_with_atoms the largest a calculation may ask for
                var r = p.jobResources(c.code(), 0);
                return new Cores(r.tasks() * r.cpusPerTask(), String.format(Locale.ROOT, "cluster profile %s: %d task(s) x %d core(s) per %s "
                        + "calculation (the profile as it reads now)", c.profile(), r.tasks(), r.cpusPerTask(), c.code()));
            } catch (RuntimeException e) {
                // reported in the section's caption, not swallowed: the report of a campaign copied off its cluster still works
                return new Cores(Double.NaN, "cores per calculation unknown, the cluster profile " + c.profile() + " cannot be read here (" + e.getMessage() + ")");
            }
        }
        return new Cores(1, "embedded calculator (" + o.type() + "): one core per calculation");
    }

    /**
     * Final-validation relaxations: their oracle single points from {@code state.json}, the number of relaxations from
     * the oracle ledger when the campaign keeps one; their wall time is not recorded.
     */
    private static String validation(CampaignData d) {
        OracleCallLedger.Contents c = OracleCallLedger.read(d.dir().resolve(OracleCallLedger.FILE));
        long relax = c.calls().stream().filter(x -> x.kind().equals("relax")).count();
        return String.format(Locale.ROOT, "<p>Final validation: %d oracle single points%s; their wall time is not recorded, so they are not in the "
                + "core-hours above.</p>\n", d.state().validationSinglePoints(), c.calls().isEmpty() ? " (no oracle ledger in the campaign directory)"
                : String.format(Locale.ROOT, " in %d relaxation(s) (oracle-calls.jsonl%s)", relax, c.tornLines() > 0 ? ", " + c.tornLines() + " torn line(s)" : ""));
    }
}
