package org.crucible.driver.protocol;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.Preselection;
import org.crucible.driver.selection.ClusterSelector;

/**
 * The NN-ensemble selection rule ({@link ClusterSelector}, paper Sec. 2.4): DBSCAN over standardised descriptors,
 * score s = E/atom - omega_f max|F| (eV/atom, omega_f in Angstrom), the lowest-scoring structure of each cluster, the
 * {@code batch} best clusters. When preselection is on ({@code protocol.selection.preselect} &gt; 0, or {@code auto}
 * on a pool of more than {@link CampaignConfig.Selection#AUTO_ROWS} rows) only the pool-wide lowest scores, found per
 * partition on the executors, reach the driver. Tracks the k = {@code stopping.k} lowest cluster energies
 * for the convergence test; the best structures of the {@code validation.top_k} lowest clusters are the validation
 * candidates.
 */
public record DbscanSelector(CampaignConfig cfg, int threads) implements Selector {
    /** The name recorded in selection files and label provenance. */
    public static final String NAME = "dbscan";

    @Override
    public Selection select(Pool pool, StageContext ctx) {
        CampaignConfig.Selection sc = cfg.protocol().selection();
        boolean auto = sc.preselect() == CampaignConfig.Selection.AUTO_PRESELECT;
        long size = auto ? pool.size() : -1; // one counting pass, and only when the rule needs the pool's size
        int k = sc.preselectFor(size);
        boolean preselect = k > 0;
        List<PoolSummary> rows = preselect ? pool.summaries(new Preselection(k, sc.omegaF())) : pool.summaries();
        if (preselect) {
            ctx.log().accept("cycle " + ctx.cycle() + ": " + rows.size() + " lowest-score structures" + (auto ? " of " + size : "")
                    + " preselected for clustering (protocol.selection.preselect" + (auto ? ": auto" : "") + ")");
        }
        // The indexed DBSCAN's labels do not depend on the thread count, so the driver's cores are used freely.
        ClusterSelector.Result r = new ClusterSelector(sc.dbscanEps(), sc.dbscanMinSamples(), ClusterSelector.Metric.parse(sc.dbscanMetric()), sc.omegaF(),
                sc.batch(), sc.noise(), threads).select(rows);
        List<Double> lowest = r.lowestClusterEnergies(cfg.stopping().k());
        List<Long> validation = r.clusters().stream().sorted(Comparator.comparingDouble(ClusterSelector.ClusterEnergy::lowestEnergyPerAtom)
                .thenComparingLong(ClusterSelector.ClusterEnergy::bestId)).limit(cfg.validation().topK()).map(ClusterSelector.ClusterEnergy::bestId).toList();
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("selector", NAME);
        if (preselect) rec.put("preselected", rows.size());
        rec.put("clusters", r.clusters().size());
        rec.put("picks", r.picks());
        rec.put("lowest_cluster_energies_eV_per_atom", lowest);
        long failed = rows.stream().filter(x -> !Double.isFinite(x.energy())).count();
        return new Selection(NAME, r.picks().stream().map(ClusterSelector.Pick::id).toList(), lowest, validation, rec,
                String.format("%d structures (%d failed), %d clusters, lowest %s eV/atom", rows.size(), failed, r.clusters().size(), Selection.energies(lowest)));
    }
}
