package org.crucible.driver.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.driver.pool.DescribeStage;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.executors.descriptors.LinearBasis;
import org.junit.jupiter.api.Test;

/**
 * DBSCAN on real mean-pooled ACE features of the si16-sw example's basis (hundreds of columns): copies of one
 * structure that differ by rotation, origin, atom order, a 0.2% strain and 0.005 Angstrom rattling (near-identical relaxed cells) must merge into one
 * cluster, and different polymorphs must stay apart, with the paper's eps 0.5 in the default RMS metric.
 */
class DbscanMetricTest {
    private static final double[][] DIAMOND = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}, {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};

    /** Polymorph p (0 diamond a 5.43, 1 simple cubic 2x2x2 a 2.55, 2 bcc 2x2x1 conventional a 3.05) in copy {@code copy}. */
    static Structure variant(int polymorph, int copy, double rattle) {
        SplittableRandom rng = new SplittableRandom(1000L * polymorph + copy);
        double[][] frac = new double[8][];
        double a;
        double[] stretch = {1, 1, 1};
        switch (polymorph) {
            case 0 -> {
                a = 5.43;
                frac = DIAMOND;
            }
            case 1 -> {
                a = 5.10;
                int k = 0;
                for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int l = 0; l < 2; l++) frac[k++] = new double[] {i / 2.0, j / 2.0, l / 2.0};
            }
            default -> {
                a = 6.10;
                stretch = new double[] {1, 1, 0.5};
                int k = 0;
                for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) {
                    frac[k++] = new double[] {i / 2.0, j / 2.0, 0};
                    frac[k++] = new double[] {i / 2.0 + 0.25, j / 2.0 + 0.25, 0.5};
                }
            }
        }
        // A random rotation (about a random axis), a random origin shift, a random atom order, 0.2% strain, 0.005 A rattle.
        double[] ax = {rng.nextDouble() - 0.5, rng.nextDouble() - 0.5, rng.nextDouble() - 0.5};
        double norm = Math.sqrt(ax[0] * ax[0] + ax[1] * ax[1] + ax[2] * ax[2]);
        for (int k = 0; k < 3; k++) ax[k] /= norm;
        double th = rng.nextDouble() * 2 * Math.PI;
        double c = Math.cos(th), s = Math.sin(th), t = 1 - c;
        double[][] rot = {
                {t * ax[0] * ax[0] + c, t * ax[0] * ax[1] - s * ax[2], t * ax[0] * ax[2] + s * ax[1]},
                {t * ax[0] * ax[1] + s * ax[2], t * ax[1] * ax[1] + c, t * ax[1] * ax[2] - s * ax[0]},
                {t * ax[0] * ax[2] - s * ax[1], t * ax[1] * ax[2] + s * ax[0], t * ax[2] * ax[2] + c}};
        double[][] lattice = new double[3][3];
        for (int i = 0; i < 3; i++) {
            double strain = 1 + 0.002 * (2 * rng.nextDouble() - 1);
            for (int k = 0; k < 3; k++) lattice[i][k] = a * stretch[i] * strain * rot[k][i];
        }
        Cell cell = Cell.periodic(lattice);
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7));
        for (int i = 7; i > 0; i--) java.util.Collections.swap(order, i, rng.nextInt(i + 1));
        double[] shift = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
        double[] xyz = new double[24];
        for (int i = 0; i < 8; i++) {
            double[] f = frac[order.get(i)];
            for (int k = 0; k < 3; k++) {
                double v = 0;
                for (int m = 0; m < 3; m++) v += (f[m] + shift[m]) * lattice[m][k];
                xyz[3 * i + k] = v + rattle * rng.nextGaussian();
            }
        }
        int[] z = new int[8];
        java.util.Arrays.fill(z, 14);
        return Structure.of(cell, z, xyz);
    }

    static List<PoolSummary> pool(LinearBasis basis) {
        List<PoolSummary> rows = new ArrayList<>();
        long id = 0;
        for (int copy = 0; copy < 4; copy++) {
            for (int p = 0; p < 3; p++) {
                Structure s = variant(p, copy, 0.005);
                double[] f = DescribeStage.meanPooled(basis.atomicFeatures(s), 8, basis.size());
                rows.add(new PoolSummary(id++, 8, 8 * (-4.0 + 0.1 * p - 0.001 * copy), 0.0, 0.01, 10, "relaxed", f));
            }
        }
        // Strongly rattled cells (0.3 Angstrom rms), each its own distorted structure, like the unrelaxed or poorly relaxed
        // part of a real pool: they give the columns that vanish by cubic symmetry a real spread, as a diverse pool does.
        for (int k = 0; k < 6; k++) {
            Structure s = variant(k % 3, 100 + k, 0.3);
            rows.add(new PoolSummary(id++, 8, 8 * -3.5, 0.0, 0.5, 10, "relaxed", DescribeStage.meanPooled(basis.atomicFeatures(s), 8, basis.size())));
        }
        return rows;
    }

    @Test
    void rmsMetricMergesCopiesAndSeparatesPolymorphs() {
        LinearBasis basis = org.crucible.driver.protocol.AceCommitteeFitter.basis(CampaignConfigLoader.load(TestEnvironment.repositoryRoot().resolve("examples/si16-sw.yaml")));
        assertTrue(basis.size() > 100, "the example basis has hundreds of features, got " + basis.size());
        List<PoolSummary> rows = pool(basis);
        ClusterSelector.Result r = new ClusterSelector(0.5, 2, ClusterSelector.Metric.RMS, 0.5, 10, "singletons").select(rows);
        String labels0 = java.util.Arrays.toString(r.labels());
        for (int p = 0; p < 3; p++) {
            Set<Integer> labels = new HashSet<>();
            for (int i = 0; i < 12; i++) if (r.ids()[i] % 3 == p) labels.add(r.labels()[i]);
            assertEquals(1, labels.size(), "all copies of polymorph " + p + " share one cluster: " + labels0);
        }
        Set<Integer> distinct = new HashSet<>();
        for (int i = 0; i < 3; i++) distinct.add(r.labels()[i]);
        assertEquals(3, distinct.size(), "the polymorphs stay apart: " + labels0);
        int singletons = 0;
        for (int i = 12; i < 18; i++) {
            int l = r.labels()[i];
            if (java.util.Arrays.stream(r.labels()).filter(x -> x == l).count() == 1) singletons++;
        }
        assertTrue(singletons >= 4, "most strongly rattled cells are distinct structures: " + labels0);
        // One pick per polymorph, the lowest score of each (the last copy), before any rattled cell.
        assertEquals(List.of(9L, 10L, 11L), r.picks().subList(0, 3).stream().map(ClusterSelector.Pick::id).toList());
    }

    @Test
    void plainEuclideanEpsIsBelowTheSpreadOfCopies() {
        LinearBasis basis = org.crucible.driver.protocol.AceCommitteeFitter.basis(CampaignConfigLoader.load(TestEnvironment.repositoryRoot().resolve("examples/si16-sw.yaml")));
        ClusterSelector.Result r = new ClusterSelector(0.5, 2, ClusterSelector.Metric.EUCLIDEAN, 0.5, 10, "singletons").select(pool(basis));
        assertNotEquals(3, r.clusters().size(), "in the plain metric eps 0.5 does not merge the copies: " + java.util.Arrays.toString(r.labels()));
    }

    @Test
    void rmsIsEuclideanWithEpsScaledBySqrtOfVaryingColumns() {
        // Two columns vary, one is constant: eps 0.5 RMS = 0.5 * sqrt(2) Euclidean.
        double[][] std = Standardizer.standardize(new double[][] {{0, 1, 5}, {1, 0, 5}, {2, 1, 5}});
        ClusterSelector rms = new ClusterSelector(0.5, 2, ClusterSelector.Metric.RMS, 0.5, 10, "singletons");
        assertEquals(0.5 * Math.sqrt(2), rms.effectiveEps(std), 1e-15);
        assertEquals(0.5, new ClusterSelector(0.5, 2, 0.5, 10, "singletons").effectiveEps(std), 0.0);
    }
}
