package org.crucible.driver.protocol;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.Preselection;

/**
 * Greedy selection without clustering: the {@code protocol.selection.batch} structures of lowest score
 * s = E/atom - omega_f max|F| (eV/atom; omega_f in Angstrom), found per partition on the executors
 * ({@link Preselection}), ties by id. Each structure counts as its own cluster for the convergence test (the
 * k = {@code stopping.k} lowest energies per atom among the preselected rows) and for validation (the
 * {@code validation.top_k} lowest of them).
 * A baseline for the clustering rule: it spends the batch on near-duplicates of one basin when one basin dominates.
 */
public record LowestScoreSelector(CampaignConfig cfg) implements Selector {
    /** The name recorded in selection files and label provenance. */
    public static final String NAME = "lowest-score";

    @Override
    public Selection select(Pool pool, StageContext ctx) {
        CampaignConfig.Selection sc = cfg.protocol().selection();
        int keep = Math.max(sc.batch(), Math.max(cfg.stopping().k(), cfg.validation().topK()));
        List<PoolSummary> rows = pool.summaries(new Preselection(keep, sc.omegaF())).stream().filter(PoolSummary::selectable).toList();
        Preselection order = new Preselection(keep, sc.omegaF());
        List<PoolSummary> byScore = rows.stream().sorted(order.order()).toList();
        List<PoolSummary> byEnergy = rows.stream().sorted(Comparator.comparingDouble(PoolSummary::energyPerAtom).thenComparingLong(PoolSummary::id)).toList();
        List<Long> picks = byScore.stream().limit(sc.batch()).map(PoolSummary::id).toList();
        List<Double> lowest = byEnergy.stream().limit(cfg.stopping().k()).map(PoolSummary::energyPerAtom).toList();
        List<Long> validation = byEnergy.stream().limit(cfg.validation().topK()).map(PoolSummary::id).toList();
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("selector", NAME);
        rec.put("picks", byScore.stream().limit(sc.batch()).map(s -> Map.of("id", s.id(), "score", order.score(s), "energyPerAtom", s.energyPerAtom())).toList());
        rec.put("lowest_energies_eV_per_atom", lowest);
        return new Selection(NAME, picks, lowest, validation, rec,
                String.format("%d lowest-score structures, lowest %s eV/atom", picks.size(), Selection.energies(lowest)));
    }
}
