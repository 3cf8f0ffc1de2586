package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.core.Structure;
import org.crucible.driver.pool.DoptRelaxStage;
import org.crucible.driver.pool.GradeStage;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.Preselection;
import org.crucible.driver.pool.Seeds;
import org.crucible.driver.store.LabelRecord;
import org.crucible.executors.descriptors.LinearBasis;
import org.crucible.executors.evolution.StructureFingerprint;
import org.crucible.executors.potentials.ActiveSet;
import org.crucible.executors.potentials.BatchMaxvol;

/**
 * The selector {@code maxvol} (MTP active learning, PRB 99, 064114 (2019), eq. 5 and the maxvol update): the active
 * set A of the training set's per-atom descriptor rows (the store's successful labels sorted by task hash, the fitted
 * potential's basis) is built on the driver; every pool structure's grade gamma against A is computed where the pool
 * lives ({@link GradeStage}), and only structures with gamma &gt; {@code evolution.gamma_select} and a finite energy
 * reach the driver ({@code evolution.preselect} of them at most, the lowest energies per atom first), with their
 * per-atom rows; the batch maxvol update ({@link BatchMaxvol}) then picks up to {@code protocol.selection.batch} of
 * them, the most linearly independent with respect to the training set.
 *
 * <p>With {@code evolution.composition} (variable composition) the finished relaxations are ranked by distance above
 * the convex hull of their model formation enthalpies instead ({@link HullRanking}; on the hull first, eV/atom) and the
 * ranked table is recorded as {@code model_hull}; the convergence test follows the model enthalpies per atom of the
 * {@code stopping.k} best so ranked.
 *
 * <p>For the convergence test and validation it reports the finished relaxations (status {@code converged},
 * {@code max_steps} or {@code patience}) of lowest model enthalpy per atom (eV/atom, 0 GPa), distinct by the
 * structural fingerprint: the {@code stopping.k} lowest energies and the {@code validation.top_k} best structures.
 */
public record MaxvolSelector(CampaignConfig cfg) implements Selector {
    /** The name recorded in selection files and label provenance. */
    public static final String NAME = "maxvol";
    private static final long SALT = 0x4d_41_58_56L;

    @Override
    public Selection select(Pool pool, StageContext ctx) {
        CampaignConfig.Evolution ev = cfg.evolution();
        LinearBasis basis = AceCommitteeFitter.basis(cfg);
        ActiveSet active = trainingActiveSet(ctx, basis, ev);
        Pool graded = pool.map(new GradeStage(ev.gammaSelect()), new GradeStage.Model(basis, active), Seeds.mix(ctx.seed(), ctx.cycle(), SALT),
                "grade cycle " + ctx.cycle());
        List<PoolSummary> marked = graded.summaries(new Preselection(ev.preselect(), 0.0));
        List<BatchMaxvol.Candidate> candidates = marked.stream().map(s -> new BatchMaxvol.Candidate(s.id(), s.features(), s.atoms())).toList();
        BatchMaxvol.Result r = BatchMaxvol.select(active, candidates, cfg.protocol().selection().batch());

        List<Map<String, Object>> hull = new ArrayList<>();
        List<PoolEntry> best = ev.variableComposition() ? bestOnHull(pool, Math.max(cfg.stopping().k(), cfg.validation().topK()), hull)
                : bestDistinct(pool, Math.max(cfg.stopping().k(), cfg.validation().topK()));
        List<Double> lowest = best.stream().limit(cfg.stopping().k()).map(PoolEntry::energyPerAtom).toList();
        List<Long> validation = best.stream().limit(cfg.validation().topK()).map(PoolEntry::id).toList();
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("selector", NAME);
        rec.put("active_set_rows", active.size());
        rec.put("training_structures", ctx.store().trainingSet().size());
        rec.put("gamma_select", ev.gammaSelect());
        rec.put("above_gamma_select", marked.size());
        List<Map<String, Object>> picks = new ArrayList<>();
        for (int i = 0; i < r.picks().size(); i++) picks.add(Map.of("id", r.picks().get(i), "gamma", r.grades().get(i)));
        rec.put("picks", picks);
        rec.put("log_det_before", active.logAbsDeterminant());
        rec.put("log_det_after", r.updated().logAbsDeterminant());
        rec.put("lowest_energies_eV_per_atom", lowest);
        if (ev.variableComposition()) rec.put("model_hull", hull);
        return new Selection(NAME, r.picks(), lowest, validation, rec, String.format("%d of %d structures above gamma_select %.1f picked by maxvol "
                + "(active set %d rows), lowest %s eV/atom", r.picks().size(), marked.size(), ev.gammaSelect(), active.size(), lowest));
    }

    /** Maxvol active set over the per-atom rows of the store's successful labels, sorted by task hash. */
    static ActiveSet trainingActiveSet(StageContext ctx, LinearBasis basis, CampaignConfig.Evolution ev) {
        List<LabelRecord> data = new ArrayList<>(ctx.store().trainingSet());
        data.sort(Comparator.comparing(LabelRecord::taskHash));
        int f = basis.size();
        int total = data.stream().mapToInt(l -> l.structure().size()).sum();
        if (total == 0) throw new IllegalStateException("maxvol: the store has no successful label to build the active set from");
        double[] rows = new double[Math.multiplyExact(total, f)];
        int at = 0;
        for (LabelRecord l : data) {
            double[] b = basis.atomicFeatures(l.structure());
            System.arraycopy(b, 0, rows, at, b.length);
            at += b.length;
        }
        return ActiveSet.select(rows, total, f, ev.gammaSelect(), ev.gammaBreak());
    }

    /**
     * Variable composition: the finished relaxations of this generation ranked by distance above the hull of their model
     * formation enthalpies ({@link HullRanking}), at most {@code count}; {@code table} receives every ranked row
     * (formula, x, formation enthalpy and hull distance, eV/atom). Empty when the generation has no pure-A or pure-B
     * relaxation.
     */
    private List<PoolEntry> bestOnHull(Pool pool, int count, List<Map<String, Object>> table) {
        List<Long> ids = pool.summariesWithoutFeatures().stream().filter(EvolutionGenerator::finished).map(PoolSummary::id).toList();
        List<HullRanking.Ranked> ranked = HullRanking.rank(ids.isEmpty() ? List.of() : pool.fetch(ids), HullRanking.range(cfg),
                cfg.evolution().fingerprintTolerance()).orElse(List.of());
        for (HullRanking.Ranked r : ranked) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.entry().id());
            row.put("formula", r.entry().structure().formula());
            row.put("x", r.x());
            row.put("enthalpy_eV_per_atom", r.entry().energyPerAtom());
            row.put("formation_eV_per_atom", r.formationEnthalpy());
            row.put("above_hull_eV_per_atom", r.distance());
            table.add(row);
        }
        return ranked.stream().limit(count).map(HullRanking.Ranked::entry).toList();
    }

    /** Finished relaxations, lowest energy per atom first (ties by id), distinct by fingerprint; at most {@code count}. */
    private List<PoolEntry> bestDistinct(Pool pool, int count) {
        List<PoolSummary> rows = pool.summariesWithoutFeatures().stream()
                .filter(s -> Double.isFinite(s.energy()) && !s.status().equals(DoptRelaxStage.MARKED) && !s.status().equals(DoptRelaxStage.BROKEN)
                        && !s.status().equals("failed"))
                .sorted(Comparator.comparingDouble(PoolSummary::energyPerAtom).thenComparingLong(PoolSummary::id)).toList();
        StructureFingerprint fp = StructureFingerprint.DEFAULT;
        List<StructureFingerprint.Vector> seen = new ArrayList<>();
        List<PoolEntry> out = new ArrayList<>();
        int from = 0;
        while (out.size() < count && from < rows.size()) {
            List<PoolSummary> part = rows.subList(from, Math.min(rows.size(), from + 4 * count));
            from += part.size();
            List<PoolEntry> fetched = new ArrayList<>(pool.fetch(part.stream().map(PoolSummary::id).toList()));
            fetched.sort(Comparator.comparingDouble(PoolEntry::energyPerAtom).thenComparingLong(PoolEntry::id));
            for (PoolEntry e : fetched) {
                Structure s = e.structure();
                StructureFingerprint.Vector v = fp.of(s);
                if (seen.stream().anyMatch(o -> o.distance(v) < cfg.evolution().fingerprintTolerance())) continue;
                seen.add(v);
                out.add(e);
                if (out.size() == count) break;
            }
        }
        return out;
    }
}
