package org.crucible.driver.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.core.Structure;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.executors.descriptors.AceBasisFactory;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.ModelFile;
import org.crucible.executors.potentials.Prediction;

/**
 * Report section "Model vs oracle": parity of model and oracle for each cycle's new labels <em>before they were
 * fitted</em> (the labels of cycle t predicted with {@code models/model-(t-1).json}, the model that chose them), energy in
 * eV/atom and force components in eV/Angstrom, RMSE per cycle; uncertainty vs true error: committee sigma_E per atom
 * and max_i sigma_F,i against the actual errors, on shared axes with the dashed y = x line of a calibrated sigma (the
 * note counts the structures above it, whose error exceeds sigma).
 */
final class ParitySection {
    private ParitySection() {
    }

    static void write(CampaignData d, ReportPage page) throws IOException {
        Parity parity = parity(d.dir(), d.records());
        page.section("Model vs oracle on each cycle's new labels (before fitting)", parity.caption)
                .plots(parity.energy, parity.forces, parity.sigmaE, parity.sigmaF).html(parity.table);
    }

    private record Parity(SvgPlot energy, SvgPlot forces, SvgPlot sigmaE, SvgPlot sigmaF, String caption, String table) {
    }

    private static Parity parity(Path dir, List<LabelRecord> records) throws IOException {
        SvgPlot pe = new SvgPlot("parity-energy", "Energy: model vs oracle", "oracle energy (eV/atom)", "model energy (eV/atom)").diagonal().robust();
        SvgPlot pf = new SvgPlot("parity-forces", "Forces: model vs oracle", "oracle force component (eV/\u00c5)", "model force component (eV/\u00c5)").diagonal().robust();
        SvgPlot ue = new SvgPlot("uncertainty-energy", "Energy uncertainty vs true error", "committee \u03c3_E (eV/atom)", "|model \u2212 oracle| energy (eV/atom)").diagonal().robust();
        SvgPlot uf = new SvgPlot("uncertainty-forces", "Force uncertainty vs true error", "max_i \u03c3_F,i (eV/\u00c5)", "max_i |F_model \u2212 F_oracle| (eV/\u00c5)").diagonal().robust();
        TreeMap<Integer, List<LabelRecord>> byCycle = new TreeMap<>();
        for (LabelRecord r : records) if (r.status() == LabelStatus.OK) byCycle.computeIfAbsent(r.provenance().cycle(), c -> new ArrayList<>()).add(r);
        List<double[]> fx = new ArrayList<>(), fy = new ArrayList<>();
        int[] aboveE = new int[2], aboveF = new int[2];
        List<Integer> fitted = new ArrayList<>();
        StringBuilder table = new StringBuilder("<p class=\"cap\">Errors per cycle on the new labels, before fitting:</p><table><tr><th>cycle</th>"
                + "<th class=\"l\">predicted with</th><th>labels</th><th>RMSE E (meV/atom)</th><th>RMSE F (eV/\u00c5)</th><th>force components</th>"
                + "<th>mean \u03c3_E (meV/atom)</th></tr>\n");
        int series = 0;
        double sumE2 = 0, sumF2 = 0;
        long nE = 0, nF = 0;
        for (Map.Entry<Integer, List<LabelRecord>> e : byCycle.entrySet()) {
            int cycle = e.getKey();
            Path model = dir.resolve(String.format("models/model-%03d.json", cycle - 1));
            if (cycle < 1 || !Files.exists(model)) continue;
            LinearPotential pot = ModelFile.read(model, new AceBasisFactory()).potential();
            List<LabelRecord> rs = e.getValue();
            double[] xo = new double[rs.size()], ym = new double[rs.size()], se = new double[rs.size()], ae = new double[rs.size()];
            double[] sf = new double[rs.size()], af = new double[rs.size()];
            double[] fo = new double[0], fm = new double[0];
            double e2 = 0, f2 = 0;
            int nf = 0;
            for (int i = 0; i < rs.size(); i++) {
                Structure s = rs.get(i).structure();
                Prediction pr = pot.predict(s);
                int n = s.size();
                xo[i] = s.labels().energy() / n;
                ym[i] = pr.energy() / n;
                se[i] = pr.sigmaEnergy() / n;
                ae[i] = Math.abs(ym[i] - xo[i]);
                e2 += ae[i] * ae[i];
                double[] ft = s.labels().forces();
                double[] fp = pr.forces();
                fo = append(fo, ft);
                fm = append(fm, fp);
                double maxErr = 0;
                for (int a = 0; a < n; a++) {
                    double d2 = 0;
                    for (int k = 0; k < 3; k++) {
                        double d = fp[3 * a + k] - ft[3 * a + k];
                        d2 += d * d;
                        f2 += d * d;
                        nf++;
                    }
                    maxErr = Math.max(maxErr, Math.sqrt(d2));
                }
                sf[i] = pr.maxForceSpread();
                af[i] = maxErr;
            }
            double rmseE = Math.sqrt(e2 / rs.size()), rmseF = Math.sqrt(f2 / Math.max(1, nf));
            sumE2 += e2;
            nE += rs.size();
            sumF2 += f2;
            nF += nf;
            String color = Palette.category(series++);
            String name = "cycle " + cycle;
            pe.scatter(name, xo, ym, color);
            ue.scatter(name, se, ae, color);
            uf.scatter(name, sf, af, color);
            countAbove(se, ae, aboveE);
            countAbove(sf, af, aboveF);
            fx.add(fo);
            fy.add(fm);
            fitted.add(cycle);
            double meanSigma = java.util.Arrays.stream(se).average().orElse(Double.NaN);
            table.append(String.format(Locale.ROOT, "<tr><td>%d</td><td class=\"l\">models/model-%03d.json</td><td>%d</td><td>%.1f</td><td>%.3f</td><td>%d</td><td>%.1f</td></tr>\n",
                    cycle, cycle - 1, rs.size(), 1000 * rmseE, rmseF, nf, 1000 * meanSigma));
        }
        long comps = fx.stream().mapToLong(a -> a.length).sum();
        if (comps > SvgPlot.MAX_MARKERS) {
            pf.scatter(null, concat(fx), concat(fy), Palette.category(0));
        } else {
            for (int i = 0; i < fx.size(); i++) pf.scatter("cycle " + fitted.get(i), fx.get(i), fy.get(i), Palette.category(i));
        }
        String caption;
        if (series == 0) {
            caption = "No labels were chosen by a fitted model yet (cycle 0 labels are random training cells with no model before them).";
        } else {
            caption = String.format(Locale.ROOT, "Labels of cycle t predicted by the model of cycle t\u22121 (the model that selected them). Overall RMSE "
                    + "%.1f meV/atom (%d structures), %.3f eV/\u00c5 (%d force components). Cycle-0 labels (random training cells) have no prior model.",
                    1000 * Math.sqrt(sumE2 / nE), nE, Math.sqrt(sumF2 / Math.max(1, nF)), nF);
        }
        if (series > 0) {
            pe.note(String.format(Locale.ROOT, "RMSE %.1f meV/atom over %d structures, %d cycle(s)", 1000 * Math.sqrt(sumE2 / nE), nE, series));
            pf.note(String.format(Locale.ROOT, "RMSE %.3f eV/\u00c5 over %d components", Math.sqrt(sumF2 / Math.max(1, nF)), nF));
            ue.note(calibration(aboveE));
            uf.note(calibration(aboveF));
        }
        return new Parity(pe, pf, ue, uf, caption, series > 0 ? table.append("</table>\n").toString() : "");
    }

    /** Adds to {@code counts} how many (sigma, error) pairs have an error above sigma, and how many pairs there are. */
    private static void countAbove(double[] sigma, double[] error, int[] counts) {
        for (int i = 0; i < sigma.length; i++) {
            if (!Double.isFinite(sigma[i]) || !Double.isFinite(error[i])) continue;
            if (error[i] > sigma[i]) counts[0]++;
            counts[1]++;
        }
    }

    /** The calibration note: the dashed y = x line, and the share of structures whose true error exceeds sigma. */
    private static String calibration(int[] counts) {
        return String.format(Locale.ROOT, "dashed: y = x; error > \u03c3 for %d of %d structures (%.0f %%)", counts[0], counts[1],
                counts[1] == 0 ? 0.0 : 100.0 * counts[0] / counts[1]);
    }

    private static double[] append(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double[] concat(List<double[]> parts) {
        double[] out = new double[0];
        for (double[] p : parts) out = append(out, p);
        return out;
    }
}
