package org.crucible.driver.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.crucible.driver.pool.PoolSummary;
import org.junit.jupiter.api.Test;

class ClusterSelectorTest {
    static PoolSummary row(long id, double ePerAtom, double fmax, double... features) {
        return new PoolSummary(id, 8, 8 * ePerAtom, 0.1, fmax, 10, "relaxed", features);
    }

    static List<PoolSummary> pool() {
        List<PoolSummary> p = new ArrayList<>();
        // Cluster A around (0,0): best score is id 2 (E -4.30, F 0.2 -> -4.40), not the lowest energy id 1 (-4.35, F 0).
        p.add(row(1, -4.35, 0.0, 0.0, 0.0));
        p.add(row(2, -4.30, 0.2, 0.1, 0.0));
        p.add(row(3, -4.00, 0.0, 0.0, 0.1));
        // Cluster B around (10,10).
        p.add(row(4, -4.20, 0.0, 10.0, 10.0));
        p.add(row(5, -4.10, 0.0, 10.1, 10.0));
        // A noise point far away, and a failed one.
        p.add(row(6, -4.50, 0.0, -20.0, 30.0));
        p.add(new PoolSummary(7, 8, Double.NaN, Double.NaN, Double.NaN, 0, "failed", new double[] {0.0, 0.05}));
        return p;
    }

    @Test
    void bestScorePerClusterAndNoiseSingletons() {
        ClusterSelector sel = new ClusterSelector(0.5, 2, 0.5, 10, "singletons");
        ClusterSelector.Result r = sel.select(pool());
        assertEquals(List.of(6L, 2L, 4L), r.picks().stream().map(ClusterSelector.Pick::id).toList());
        assertEquals(-4.40, r.picks().get(1).score(), 1e-12);
        assertEquals(List.of(-4.50, -4.35, -4.20), r.lowestClusterEnergies(3));
        assertFalse(r.picks().stream().anyMatch(p -> p.id() == 7), "failed structures are never selected");
    }

    @Test
    void noiseCanBeDroppedAndBatchLimits() {
        ClusterSelector.Result r = new ClusterSelector(0.5, 2, 0.5, 1, "drop").select(pool());
        assertEquals(List.of(2L), r.picks().stream().map(ClusterSelector.Pick::id).toList());
        assertEquals(2, r.clusters().size());
    }

    @Test
    void selectionIsIndependentOfInputOrder() {
        List<PoolSummary> p = pool();
        List<PoolSummary> reversed = new ArrayList<>(p);
        java.util.Collections.reverse(reversed);
        ClusterSelector sel = new ClusterSelector(0.5, 2, 0.5, 10, "singletons");
        assertEquals(sel.select(p).picks(), sel.select(reversed).picks());
    }

    @Test
    void convergenceNeedsKStableClusters() {
        ConvergenceTest c = new ConvergenceTest(2, 0.01, 1);
        assertFalse(c.converged(List.of(List.of(-4.3, -4.2))));
        assertTrue(c.converged(List.of(List.of(-4.3, -4.2), List.of(-4.305, -4.195))));
        assertFalse(c.converged(List.of(List.of(-4.3, -4.2), List.of(-4.32, -4.2))));
        assertFalse(c.converged(List.of(List.of(-4.3, -4.2), List.of(-4.3))), "fewer than k clusters");
        ConvergenceTest two = new ConvergenceTest(1, 0.01, 2);
        assertFalse(two.converged(List.of(List.of(-4.0), List.of(-4.3), List.of(-4.3))));
        assertTrue(two.converged(List.of(List.of(-4.3), List.of(-4.3), List.of(-4.301))));
        assertEquals(0.02, c.lastChange(List.of(List.of(-4.3, -4.2), List.of(-4.32, -4.2))), 1e-12);
    }

    @Test
    void standardizedColumnsHaveZeroMeanUnitVariance() {
        double[][] s = Standardizer.standardize(new double[][] {{1, 5}, {3, 5}, {5, 5}});
        assertEquals(0.0, s[0][0] + s[1][0] + s[2][0], 1e-12);
        assertEquals(3.0, s[0][0] * s[0][0] + s[1][0] * s[1][0] + s[2][0] * s[2][0], 1e-12);
        assertEquals(0.0, s[1][1], "constant column");
    }
}
