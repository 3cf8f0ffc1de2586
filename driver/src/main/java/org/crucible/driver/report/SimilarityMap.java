package org.crucible.driver.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.Composition;
import org.crucible.core.Elements;
import org.crucible.core.Structure;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.executors.descriptors.AveragedSoap;
import org.crucible.executors.descriptors.SoapParameters;

/**
 * The training set's similarity map: configuration-averaged SOAP distances d = sqrt(2 - 2 k), k = (p_A . p_B)^zeta
 * (GAP-RSS eqs. 2-5, {@link AveragedSoap}), embedded in two dimensions by {@link ClassicalMds}, coloured by oracle energy
 * per atom (eV/atom). At most {@value #MAX_POINTS} structures, every k-th by task hash beyond that.
 */
final class SimilarityMap {
    private SimilarityMap() {
    }

    /** Training structures embedded in the map at most (deterministic subsample by task hash beyond). */
    static final int MAX_POINTS = 1500;

    static SvgPlot plot(CampaignConfig cfg, List<LabelRecord> records, SoapParameters soapOverride) {
        SvgPlot p = new SvgPlot("similarity-map", "Training set similarity map (averaged SOAP, MDS)", "MDS coordinate 1 (SOAP distance)",
                "MDS coordinate 2 (SOAP distance)");
        List<LabelRecord> ok = records.stream().filter(r -> r.status() == LabelStatus.OK).sorted(Comparator.comparing(LabelRecord::taskHash)).toList();
        int stride = (ok.size() + MAX_POINTS - 1) / Math.max(1, MAX_POINTS);
        List<LabelRecord> used = new ArrayList<>();
        for (int i = 0; i < ok.size(); i += Math.max(1, stride)) used.add(ok.get(i));
        TreeSet<Integer> zs = new TreeSet<>();
        for (Composition c : cfg.compositions()) for (String sym : c.counts().keySet()) zs.add(Elements.bySymbol(sym).z());
        for (LabelRecord r : used) for (int z : r.structure().atomicNumbers()) zs.add(z);
        int[] species = zs.stream().mapToInt(Integer::intValue).toArray();
        // Every cell must use the same density channels for the distances to compare like with like.
        SoapParameters sp = soapOverride == null ? CampaignReport.defaultSoap(species) : soapOverride.species().length == 0 ? soapOverride.withSpecies(species) : soapOverride;
        AveragedSoap soap = new AveragedSoap(sp);
        int n = used.size();
        double[][] desc = new double[n][];
        double[] energy = new double[n];
        for (int i = 0; i < n; i++) {
            Structure s = used.get(i).structure();
            desc[i] = soap.describe(s);
            energy[i] = s.labels().energy() / s.size();
        }
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) d[i][j] = d[j][i] = AveragedSoap.distance(desc[i], desc[j], sp.zeta());
        double[][] xy = ClassicalMds.embed(d);
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = xy[i][0];
            y[i] = xy[i][1];
        }
        if (n > 0) p.scatterByValue(x, y, energy, "E (eV/atom)");
        p.note(String.format(Locale.ROOT, "%d training structures%s; SOAP nMax %d, lMax %d, \u03c3 %.2f \u00c5, r_cut %.1f \u00c5, \u03b6 %d", n,
                stride > 1 ? " (every " + stride + "-th of " + ok.size() + " by task hash)" : "", sp.nMax(), sp.lMax(), sp.sigmaAt(), sp.rCut(), sp.zeta()));
        return p;
    }
}
