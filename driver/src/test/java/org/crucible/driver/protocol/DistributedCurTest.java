package org.crucible.driver.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.crucible.driver.pool.LocalPool;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.SparkPool;
import org.crucible.driver.spark.SparkContexts;
import org.crucible.driver.testing.RandomCells;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pool-side Nystrom CUR ({@link DistributedCur}) against the driver's ({@link KernelCur} over the collected rows, as
 * {@link GapRssSelections#cur} runs it): the same picks in the same order, on a single-threaded pool and on real Spark
 * local[2] with another partitioning.
 */
class DistributedCurTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkContexts.create("local[2]", "crucible-test", false, 4040, Map.of());
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.close();
    }

    static final int N = 400, D = 12, ZETA = 4, RANK = 25, LANDMARKS = 60, COUNT = 20;
    static final long SEED = 99L;

    /**
     * 400 entries with 12 non-negative descriptor components drawn around 6 centres (so the kernel has structure and
     * leverage differs between rows); every 37th entry has no energy (NaN) and ids 3, 50 and 51 are excluded.
     */
    static List<PoolEntry> entries() {
        SplittableRandom rng = new SplittableRandom(17);
        double[][] centres = new double[6][D];
        for (double[] c : centres) for (int j = 0; j < D; j++) c[j] = rng.nextDouble();
        List<PoolEntry> out = new ArrayList<>();
        for (PoolEntry e : RandomCells.pool(N, 2, 5)) {
            double[] c = centres[rng.nextInt(centres.length)];
            double spread = rng.nextDouble() < 0.05 ? 0.6 : 0.08;
            double[] x = new double[D];
            for (int j = 0; j < D; j++) x[j] = Math.abs(c[j] + spread * (rng.nextDouble() - 0.5));
            double energy = e.id() % 37 == 0 ? Double.NaN : -4 + rng.nextDouble();
            out.add(e.withExploration(energy, 0.01, 0.1, 1, "converged", new double[0][]).withFeatures(x));
        }
        return out;
    }

    static final Set<Long> EXCLUDED = Set.of(3L, 50L, 51L);

    /** The driver path: eligible rows sorted by id, landmarks, K[:, L], KernelCur.nystrom, select. */
    static List<Long> driverPicks(List<PoolEntry> entries, boolean requireEnergy) {
        List<PoolSummary> rows = entries.stream().map(PoolEntry::summary)
                .filter(r -> !EXCLUDED.contains(r.id()) && (!requireEnergy || Double.isFinite(r.energy())))
                .sorted(Comparator.comparingLong(PoolSummary::id)).toList();
        int n = rows.size();
        int[] land = KernelCur.landmarks(n, LANDMARKS, SEED);
        double[][] c = new double[n][land.length];
        for (int i = 0; i < n; i++) for (int j = 0; j < land.length; j++) c[i][j] = GapRssSelections.kernel(rows.get(i).features(), rows.get(land[j]).features(), ZETA);
        List<Long> out = new ArrayList<>();
        for (int i : KernelCur.nystrom(c, land, Math.min(RANK, land.length)).select(COUNT)) out.add(rows.get(i).id());
        return out;
    }

    @Test
    void poolSideCurPicksWhatTheDriverPicksOnOneThreadAndOnSpark() {
        List<PoolEntry> entries = entries();
        for (boolean requireEnergy : new boolean[] {true, false}) {
            List<Long> expected = driverPicks(entries, requireEnergy);
            assertEquals(COUNT, expected.size());
            for (Pool pool : List.<Pool>of(LocalPool.of(entries, 3), SparkPool.of(sc, entries, 5))) {
                DistributedCur.Result r = DistributedCur.select(pool, EXCLUDED, requireEnergy, COUNT, ZETA, RANK, LANDMARKS, SEED);
                assertEquals(expected, r.picks(), pool.getClass().getSimpleName() + ", energy required " + requireEnergy);
                long eligible = entries.stream().filter(e -> !EXCLUDED.contains(e.id()) && (!requireEnergy || Double.isFinite(e.energy()))).count();
                assertEquals(eligible, r.eligible().length);
                Set<Long> distinct = new HashSet<>(r.picks());
                assertEquals(COUNT, distinct.size(), "no row picked twice");
                assertTrue(r.picks().stream().noneMatch(EXCLUDED::contains));
            }
        }
    }

    @Test
    void aRankDeficientPoolStopsWhenItsDirectionsAreUsedUp() {
        // every descriptor is one of 3 directions: the deflated factor vanishes after 3 picks, as KernelCur's does
        List<PoolEntry> entries = new ArrayList<>();
        double[][] dirs = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        for (PoolEntry e : RandomCells.pool(30, 2, 8)) {
            entries.add(e.withExploration(-4, 0.01, 0.1, 1, "converged", new double[0][]).withFeatures(dirs[(int) (e.id() % 3)]));
        }
        DistributedCur.Result r = DistributedCur.select(LocalPool.of(entries, 2), Set.of(), true, 10, 1, 10, 8, 1L);
        assertEquals(3, r.picks().size(), "picks " + r.picks());
        assertEquals(Set.of(0L, 1L, 2L), Set.copyOf(r.picks().stream().map(id -> id % 3).toList()));
    }
}
