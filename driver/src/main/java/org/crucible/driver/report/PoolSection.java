package org.crucible.driver.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.campaign.CampaignState;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.selection.ClusterSelector;
import org.crucible.executors.descriptors.SoapParameters;

/**
 * Report section "Pool and training set": the last pool's model energy (eV/atom) vs volume (Angstrom^3/atom) coloured
 * by DBSCAN cluster (re-clustered with the campaign's own selection settings, deterministic), the same zoomed on the
 * lowest {@value #ZOOM_EV_PER_ATOM} eV/atom, and the training set's similarity map ({@link SimilarityMap}).
 */
final class PoolSection {
    private PoolSection() {
    }

    /** Energies within this window (eV/atom) above the pool's lowest are shown in the zoomed energy-volume plot. */
    static final double ZOOM_EV_PER_ATOM = 0.2;

    static void write(CampaignData d, ReportPage page, SoapParameters soapOverride) {
        SvgPlot[] pool = poolPlots(d.lastPool(), d.config(), d.state());
        page.section("Pool and training set", "Last relaxed pool by cluster; training set similarity map (configuration-averaged SOAP, classical MDS).")
                .plots(pool[0], pool[1], SimilarityMap.plot(d.config(), d.records(), soapOverride));
    }

    /** The last pool's energy vs volume by cluster, whole and zoomed on the low-energy region. */
    private static SvgPlot[] poolPlots(List<PoolEntry> entries, CampaignConfig cfg, CampaignState state) {
        SvgPlot p = new SvgPlot("pool-energy-volume", "Pool: energy vs volume (cycle " + state.cycle() + ")", "volume (\u00c5\u00b3/atom)", "model energy (eV/atom)");
        SvgPlot z = new SvgPlot("pool-energy-volume-low", String.format(Locale.ROOT, "Pool: the lowest %.0f meV/atom", 1000 * ZOOM_EV_PER_ATOM),
                "volume (\u00c5\u00b3/atom)", "model energy (eV/atom)");
        if (entries == null) {
            p.note("no pool has been written yet");
            z.note("no pool has been written yet");
            return new SvgPlot[] {p, z};
        }
        List<PoolSummary> rows = entries.stream().map(PoolEntry::summary).toList();
        Map<Long, Integer> cluster = new HashMap<>();
        Map<Integer, Double> lowest = new HashMap<>();
        if (rows.stream().anyMatch(r -> r.features().length > 0)) {
            CampaignConfig.Selection sc = cfg.protocol().selection();
            ClusterSelector.Result r = new ClusterSelector(sc.dbscanEps(), sc.dbscanMinSamples(), sc.omegaF(), sc.batch(), sc.noise()).select(rows);
            for (int i = 0; i < r.ids().length; i++) cluster.put(r.ids()[i], r.labels()[i]);
            for (ClusterSelector.ClusterEnergy c : r.clusters()) lowest.put(c.cluster(), c.lowestEnergyPerAtom());
        }
        // Rank the clusters by their lowest energy: the eight lowest get their own colours, the rest share grey.
        List<Integer> ranked = lowest.entrySet().stream().sorted(Map.Entry.<Integer, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        Map<Integer, List<double[]>> groups = new LinkedHashMap<>();
        int shown = Math.min(8, ranked.size());
        for (int i = 0; i < shown; i++) groups.put(i, new ArrayList<>());
        groups.put(-1, new ArrayList<>());
        for (PoolEntry e : entries) {
            if (!Double.isFinite(e.energy())) continue;
            int c = cluster.getOrDefault(e.id(), -1);
            int rank = c < 0 ? -1 : ranked.indexOf(c);
            double[] xy = {e.structure().cell().volume() / e.atoms(), e.energyPerAtom()};
            groups.get(rank >= 0 && rank < shown ? rank : -1).add(xy);
        }
        double emin = entries.stream().filter(e -> Double.isFinite(e.energy())).mapToDouble(PoolEntry::energyPerAtom).min().orElse(Double.NaN);
        int inWindow = 0;
        for (Map.Entry<Integer, List<double[]>> g : groups.entrySet()) {
            if (g.getValue().isEmpty()) continue;
            double[] x = g.getValue().stream().mapToDouble(a -> a[0]).toArray(), y = g.getValue().stream().mapToDouble(a -> a[1]).toArray();
            String name = g.getKey() < 0 ? (cluster.isEmpty() ? "structures" : "other") : "cluster " + (g.getKey() + 1);
            String color = g.getKey() < 0 ? (cluster.isEmpty() ? Palette.category(0) : Palette.OTHER) : Palette.category(g.getKey());
            p.scatter(name, x, y, color);
            List<double[]> low = g.getValue().stream().filter(a -> a[1] <= emin + ZOOM_EV_PER_ATOM).toList();
            if (!low.isEmpty()) {
                z.scatter(name, low.stream().mapToDouble(a -> a[0]).toArray(), low.stream().mapToDouble(a -> a[1]).toArray(), color);
                inWindow += low.size();
            }
        }
        long failed = entries.stream().filter(e -> !Double.isFinite(e.energy())).count();
        p.note(String.format(Locale.ROOT, "%d structures, %d clusters (ranked by lowest energy), %d without an energy", entries.size(), lowest.size(), failed));
        z.note(String.format(Locale.ROOT, "%d structures within %.0f meV/atom of the lowest (%.4f eV/atom); colours as in the whole pool", inWindow,
                1000 * ZOOM_EV_PER_ATOM, emin));
        return new SvgPlot[] {p, z};
    }
}
