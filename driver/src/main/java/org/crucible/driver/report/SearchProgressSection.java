package org.crucible.driver.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;

/**
 * Report section "Search progress": the k lowest cluster energies per cycle (model, eV/atom, from {@code state.json}
 * history) with the validated structures (oracle, eV/atom), and the oracle single points per cycle from the training
 * store (succeeded, failed, cumulative; validation single points counted in the note).
 */
final class SearchProgressSection {
    private SearchProgressSection() {
    }

    static void write(CampaignData d, ReportPage page) {
        page.section("Search progress", "Lowest cluster energies per cycle (model) and validated energies (oracle); oracle single points per cycle.")
                .plots(energyPlot(d.state()), oraclePlot(d.records(), d.state()));
    }

    static SvgPlot energyPlot(CampaignState s) {
        SvgPlot p = new SvgPlot("energies", "Lowest energies per cycle", "cycle", "energy (eV/atom)");
        int k = s.history().stream().mapToInt(List::size).max().orElse(0);
        for (int j = 0; j < k; j++) {
            double[] x = new double[s.history().size()], y = new double[x.length];
            for (int c = 0; c < x.length; c++) {
                x[c] = c + 1;
                List<Double> row = s.history().get(c);
                y[c] = j < row.size() ? row.get(j) : Double.NaN;
            }
            p.line("k = " + (j + 1) + " (model)", x, y, Palette.category(j), false);
        }
        if (!s.best().isEmpty()) {
            double[] x = new double[s.best().size()], yv = new double[x.length], yp = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.max(1, s.cycle());
                yv[i] = s.best().get(i).energyEvPerAtom();
                yp[i] = s.best().get(i).predictedEvPerAtom();
            }
            p.scatter("validated", x, yv, Palette.FAILURE);
            p.scatter("its model E", x, yp, "#555555");
            p.note("k = j: j-th lowest cluster (model); red: validated by the oracle at the last cycle");
        }
        if (k == 0) p.note("no selection cycle has run yet");
        return p;
    }

    static SvgPlot oraclePlot(List<LabelRecord> records, CampaignState state) {
        TreeMap<Integer, int[]> byCycle = new TreeMap<>();
        for (LabelRecord r : records) byCycle.computeIfAbsent(r.provenance().cycle(), c -> new int[2])[r.status() == LabelStatus.OK ? 0 : 1]++;
        int n = byCycle.size();
        double[] x = new double[n], ok = new double[n], xf = new double[n], failed = new double[n], cum = new double[n];
        int i = 0, total = 0, totalFailed = 0;
        for (Map.Entry<Integer, int[]> e : byCycle.entrySet()) {
            x[i] = e.getKey() - 0.18;
            xf[i] = e.getKey() + 0.18;
            ok[i] = e.getValue()[0];
            failed[i] = e.getValue()[1];
            total += e.getValue()[0] + e.getValue()[1];
            totalFailed += e.getValue()[1];
            cum[i] = total;
            i++;
        }
        double[] xc = new double[n];
        int j = 0;
        for (int c : byCycle.keySet()) xc[j++] = c;
        SvgPlot p = new SvgPlot("oracle-calls", "Oracle single points", "cycle", "single points");
        p.bars("succeeded", x, ok, Palette.category(0), 0.34).bars("failed", xf, failed, Palette.FAILURE, 0.34).line("cumulative", xc, cum, "#333333", true);
        p.note(String.format(Locale.ROOT, "%d single points in total, %d failed (red bars); plus %d validation single points (final relaxations)",
                total, totalFailed, state.validationSinglePoints()));
        return p;
    }
}
