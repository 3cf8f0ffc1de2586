package org.crucible.driver.protocol;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.GenerationPlan;
import org.crucible.driver.pool.GradeStage;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.Preselection;
import org.crucible.driver.pool.Seeds;
import org.crucible.executors.descriptors.LinearBasis;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.potentials.ActiveSet;
import org.crucible.executors.potentials.BatchMaxvol;

/**
 * The initial selector {@code pre-exploration} (MTP/USPEX paper, PRB 99, 064114 (2019), Sec. II C: "before the
 * evolutionary search, the active set is chosen by maxvol from a large pool of random structures", which the paper
 * credits with about 5x fewer DFT calculations). No label is needed: D-optimality depends on the descriptors only.
 *
 * <ol>
 *   <li>Seed: the per-atom rows (linear ACE basis of the campaign, F functions) of the first
 *       {@code evolution.pre_exploration.seed_cells} cells of each training block (0: ceil(2F / atoms per cell)) are
 *       fetched to the driver and maxvol chooses the active set A among them ({@link ActiveSet#select}).</li>
 *   <li>At most {@code rounds} times: the grade gamma = max_i max_k |(B_i A^-1)_k| of every cell of the pool is computed
 *       on the executors ({@link GradeStage}); only the {@code evolution.preselect} cells of largest gamma above
 *       {@code pre_exploration.gamma_select} reach the driver ({@link Preselection#highestGrades}), with their rows; the
 *       batch maxvol update ({@link BatchMaxvol}) adds the most linearly independent of them to A. A round in which no
 *       cell grades above the threshold ends the pre-exploration (the pool is interpolated by A).</li>
 *   <li>The cells owning the rows of the final A ({@link ActiveSet#activeRowIndices}), most active rows first (ties by
 *       id), are labelled: at most {@code protocol.cycle0_batch} of them ({@code pre_exploration.label: batch}), or all
 *       of them ({@code label: active-set}, the paper's rule that every configuration is selected while the training
 *       set does not yet span the basis: the training set then holds the whole active set).</li>
 * </ol>
 *
 * <p>The driver holds the seed rows and at most {@code preselect} candidates' rows per round, never the pool;
 * {@code cycles/000/selection.json} records the rounds, the rows that came to the driver (bytes) and the JVM's peak heap
 * during the selection (with Spark in local mode the executors share that heap).
 */
public record PreExplorationSelector(CampaignConfig cfg) implements Selector {
    /** The registry name, recorded in selection files and label provenance. */
    public static final String NAME = "pre-exploration";
    private static final long SALT = 0x50_52_45_58L;

    @Override
    public Selection select(Pool pool, StageContext ctx) {
        for (MemoryPoolMXBean m : ManagementFactory.getMemoryPoolMXBeans()) if (m.getType() == MemoryType.HEAP) m.resetPeakUsage();
        CampaignConfig.Evolution ev = cfg.evolution();
        CampaignConfig.PreExploration pre = ev.preExploration();
        LinearBasis basis = AceCommitteeFitter.basis(cfg);
        int f = basis.size();
        GenerationPlan plan = new EvolutionGenerator(cfg).plan(0);
        List<long[]> ranges = plan.ranges("training");
        List<Long> seedIds = new ArrayList<>();
        for (int b = 0; b < ranges.size(); b++) {
            long[] r = ranges.get(b);
            int atoms = Composition.parse(cfg.compositions().get(b).formula()).total();
            int n0 = pre.seedCells() > 0 ? pre.seedCells() : (2 * f + atoms - 1) / atoms;
            for (long id = r[0]; id < Math.min(r[1], r[0] + n0); id++) seedIds.add(id);
        }
        Map<Long, BatchMaxvol.Candidate> tracked = new TreeMap<>();
        int seedRows = 0;
        for (PoolEntry e : pool.fetch(seedIds)) {
            tracked.put(e.id(), new BatchMaxvol.Candidate(e.id(), basis.atomicFeatures(e.structure()), e.atoms()));
            seedRows += e.atoms();
        }
        if (tracked.isEmpty()) throw new IllegalStateException("pre-exploration: none of the seed cells " + seedIds + " could be generated");
        double[] rows = new double[Math.multiplyExact(seedRows, f)];
        int at = 0;
        for (BatchMaxvol.Candidate c : tracked.values()) {
            System.arraycopy(c.rows(), 0, rows, at, c.rows().length);
            at += c.rows().length;
        }
        ActiveSet active = ActiveSet.select(rows, seedRows, f, pre.gammaSelect(), Math.max(pre.gammaSelect(), ev.gammaBreak()));
        ctx.log().accept(String.format("pre-exploration: %d random cells, F = %d basis functions, seed active set of %d rows from %d cells",
                pool.size(), f, active.size(), tracked.size()));
        List<Map<String, Object>> rounds = new ArrayList<>();
        long maxBytes = (long) seedRows * f * Double.BYTES;
        boolean interpolated = false;
        for (int round = 1; round <= pre.rounds(); round++) {
            Pool graded = pool.map(new GradeStage(pre.gammaSelect(), false), new GradeStage.Model(basis, active), Seeds.mix(ctx.seed(), round, SALT),
                    "pre-exploration grade round " + round);
            List<PoolSummary> marked = graded.summaries(Preselection.highestGrades(ev.preselect()));
            long bytes = marked.stream().mapToLong(s -> (long) s.features().length * Double.BYTES).sum();
            maxBytes = Math.max(maxBytes, bytes);
            double before = active.logAbsDeterminant();
            List<BatchMaxvol.Candidate> candidates = marked.stream().map(s -> new BatchMaxvol.Candidate(s.id(), s.features(), s.atoms())).toList();
            BatchMaxvol.Result r = BatchMaxvol.select(active, candidates, Integer.MAX_VALUE);
            for (BatchMaxvol.Candidate c : candidates) if (r.picks().contains(c.id())) tracked.put(c.id(), c);
            active = r.updated();
            double top = marked.stream().mapToDouble(PoolSummary::uncertainty).max().orElse(Double.NaN);
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("round", round);
            rec.put("above_gamma_select", marked.size());
            rec.put("largest_gamma", Double.isFinite(top) ? top : null);
            rec.put("added", r.picks().size());
            rec.put("rows_to_driver_bytes", bytes);
            rec.put("log_det_before", before);
            rec.put("log_det_after", active.logAbsDeterminant());
            rounds.add(rec);
            ctx.log().accept(String.format("pre-exploration round %d: %d cells above gamma %.2f (largest %.3g), %d added by maxvol, log|det A| %.2f -> %.2f",
                    round, marked.size(), pre.gammaSelect(), top, r.picks().size(), before, active.logAbsDeterminant()));
            if (marked.isEmpty()) {
                interpolated = true;
                break;
            }
        }
        record Owner(long id, int rows) {
        }
        List<Owner> owners = new ArrayList<>();
        for (BatchMaxvol.Candidate c : tracked.values()) {
            int n = 0;
            for (int k : active.activeRowIndices(c.rows(), c.atoms())) if (k >= 0) n++;
            if (n > 0) owners.add(new Owner(c.id(), n));
        }
        owners.sort(Comparator.comparingInt((Owner o) -> -o.rows()).thenComparingLong(Owner::id));
        List<Long> picks = owners.stream().limit(pre.labelActiveSet() ? Long.MAX_VALUE : cfg.protocol().cycle0Batch()).map(Owner::id).sorted().toList();
        long peak = 0;
        for (MemoryPoolMXBean m : ManagementFactory.getMemoryPoolMXBeans()) if (m.getType() == MemoryType.HEAP) peak += m.getPeakUsage().getUsed();
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("selector", NAME);
        rec.put("pool", pool.size());
        rec.put("basis_functions", f);
        rec.put("active_set_rows", active.size());
        rec.put("seed_cells", seedIds.size());
        rec.put("gamma_select", pre.gammaSelect());
        rec.put("rounds", rounds);
        rec.put("pool_interpolated", interpolated);
        rec.put("cells_owning_active_rows", owners.size());
        rec.put("label", pre.labelActiveSet() ? "active-set" : "batch");
        rec.put("ids", picks);
        rec.put("max_rows_to_driver_bytes", maxBytes);
        rec.put("jvm_peak_heap_bytes", peak);
        return new Selection(NAME, picks, List.of(), List.of(), rec, String.format("pre-exploration: %d of %d cells owning the %d active rows selected "
                + "(%d rounds over %d random cells, %s; peak heap %d MB)", picks.size(), owners.size(), active.size(), rounds.size(), pool.size(),
                interpolated ? "the pool is interpolated" : "still cells above gamma_select", peak >> 20));
    }
}
