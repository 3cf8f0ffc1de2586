package org.crucible.driver.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The indexed DBSCAN against the brute-force reference {@link Dbscan}: identical label arrays on every data set. */
class IndexedDbscanTest {
    /** Brute force and indexed on 1, 2 and 3 threads: all four label arrays equal; returns them. */
    static int[] assertSameAsBruteForce(double[][] rows, double eps, int minSamples, String what) {
        int[] expected = new Dbscan(eps, minSamples).fit(rows);
        for (int threads : new int[] {1, 2, 3}) {
            int[] got = new IndexedDbscan(eps, minSamples, threads).fit(rows);
            assertArrayEquals(expected, got, what + " eps " + eps + " min_samples " + minSamples + " threads " + threads);
        }
        return expected;
    }

    /**
     * Gaussian blobs on a {@code latent}-dimensional manifold embedded in {@code dim} columns plus full-dimensional
     * noise rows, shuffled: the shape of relaxed-structure descriptors (basins of a low-dimensional energy landscape).
     */
    static double[][] manifoldBlobs(long seed, int n, int dim, int latent, int clusters, double spread, double noiseFraction) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] w = new double[latent][dim];
        for (double[] row : w) for (int j = 0; j < dim; j++) row[j] = gauss(r) / Math.sqrt(dim);
        double[][] centres = new double[clusters][latent];
        for (double[] c : centres) for (int j = 0; j < latent; j++) c[j] = 3 * gauss(r);
        double[][] rows = new double[n][dim];
        for (int i = 0; i < n; i++) {
            double[] z = new double[latent];
            boolean noise = r.nextDouble() < noiseFraction;
            double[] c = centres[r.nextInt(clusters)];
            for (int j = 0; j < latent; j++) z[j] = noise ? 3 * gauss(r) : c[j] + spread * gauss(r);
            for (int k = 0; k < latent; k++) for (int j = 0; j < dim; j++) rows[i][j] += z[k] * w[k][j];
            for (int j = 0; j < dim; j++) rows[i][j] += 0.02 * spread * gauss(r);
        }
        return rows;
    }

    static double gauss(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    @ParameterizedTest(name = "seed {0}, n {1}, dim {2}, latent {3}, eps {4}, min_samples {5}")
    @CsvSource({
            "1, 600, 2, 2, 0.3, 2",
            "2, 800, 30, 4, 0.8, 3",
            "3, 800, 300, 6, 1.2, 2",
            "4, 700, 300, 6, 2.5, 5",
            "5, 500, 60, 60, 4.0, 2",   // full-dimensional: the index prunes little, the answer must still be exact
            "6, 900, 8, 3, 0.05, 2",    // tiny eps: mostly noise
            "7, 900, 8, 3, 50, 4"})     // huge eps: one cluster
    void randomDataSetsGiveTheBruteForceLabels(long seed, int n, int dim, int latent, double eps, int minSamples) {
        double[][] rows = manifoldBlobs(seed, n, dim, latent, 12, 0.25, 0.15);
        int[] labels = assertSameAsBruteForce(rows, eps, minSamples, "blobs seed " + seed);
        assertTrue(labels.length == n);
    }

    @Test
    void theRandomDataExerciseClustersNoiseAndBorders() {
        // Guards the parameterised test against degenerate data: this set has many clusters, noise and border rows.
        double[][] rows = manifoldBlobs(3, 800, 300, 6, 12, 0.25, 0.15);
        int[] labels = new Dbscan(1.2, 2).fit(rows);
        assertTrue(Arrays.stream(labels).max().getAsInt() >= 8, Arrays.toString(labels));
        assertTrue(Arrays.stream(labels).filter(l -> l == Dbscan.NOISE).count() >= 20);
    }

    @Test
    void tiesAtExactlyEpsOnAGrid() {
        // Integer grid points: many distances are exactly 1.0, sqrt(2), 2.0 (exact in binary), so "<= eps" decides.
        SplittableRandom r = new SplittableRandom(11);
        double[][] rows = new double[500][6];
        for (double[] row : rows) for (int j = 0; j < row.length; j++) row[j] = r.nextInt(4) - (j % 2 == 0 ? 0 : 1.5);
        for (double eps : new double[] {1.0, Math.sqrt(2), 2.0, Math.sqrt(3)}) {
            for (int ms : new int[] {1, 2, 4, 9}) assertSameAsBruteForce(rows, eps, ms, "grid");
        }
        // A chain whose neighbours are exactly eps apart: inclusive, so it is one cluster.
        double[][] chain = new double[40][3];
        for (int i = 0; i < chain.length; i++) chain[i][1] = 0.5 * i;
        int[] labels = assertSameAsBruteForce(chain, 0.5, 3, "chain");
        assertTrue(Arrays.stream(labels).allMatch(l -> l == 0), Arrays.toString(labels));
    }

    @Test
    void duplicatesAllNoiseAndOneBigCluster() {
        SplittableRandom r = new SplittableRandom(5);
        double[][] dup = new double[400][20];
        double[][] base = new double[7][20];
        for (double[] b : base) for (int j = 0; j < 20; j++) b[j] = 10 * r.nextDouble();
        for (int i = 0; i < dup.length; i++) dup[i] = base[r.nextInt(base.length)].clone();
        int[] labels = assertSameAsBruteForce(dup, 1e-12, 2, "duplicates");
        assertEquals(6, Arrays.stream(labels).max().getAsInt(), "seven distinct rows, seven clusters");
        assertSameAsBruteForce(dup, 1e-12, 100, "duplicates, high min_samples");

        double[][] far = new double[300][50];
        for (int i = 0; i < far.length; i++) far[i][i % 50] = 100.0 * (1 + i / 50);
        labels = assertSameAsBruteForce(far, 1.0, 2, "all noise");
        assertTrue(Arrays.stream(labels).allMatch(l -> l == Dbscan.NOISE));

        double[][] big = manifoldBlobs(9, 1500, 100, 5, 1, 0.05, 0.0);
        labels = assertSameAsBruteForce(big, 100.0, 2, "one big cluster");
        assertTrue(Arrays.stream(labels).allMatch(l -> l == 0));

        assertArrayEquals(new int[0], new IndexedDbscan(0.5, 2, 2).fit(new double[0][]));
        assertArrayEquals(new int[] {-1}, new IndexedDbscan(0.5, 2, 1).fit(new double[][] {{1, 2}}));
        assertArrayEquals(new int[] {0}, new IndexedDbscan(0.5, 1, 1).fit(new double[][] {{1, 2}}));
    }

    @Test
    void borderRowsBetweenClustersGoToTheFirstClusterLikeTheBruteForce() {
        // 1-D: dense runs separated by gaps of 2 eps with single rows in the middle, exactly eps from the cores on both
        // sides: min_samples 4 makes those rows (3 neighbours) border rows of two clusters at once; shuffled so row order matters.
        double[][] rows = new double[0][];
        java.util.List<double[]> list = new java.util.ArrayList<>();
        for (int run = 0; run < 30; run++) {
            double x0 = run * 3.0;
            for (int k = 0; k < 5; k++) list.add(new double[] {x0 + 0.25 * k});
            list.add(new double[] {x0 + 2.0});
        }
        rows = list.toArray(rows);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = rows.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double[] t = rows[i];
            rows[i] = rows[j];
            rows[j] = t;
        }
        int[] labels = assertSameAsBruteForce(rows, 1.0, 4, "shared borders");
        assertEquals(29, Arrays.stream(labels).max().getAsInt());
    }

    @Test
    void distanceEvaluationsAreFarBelowNSquaredOnClusteredRows() {
        // Not a timing: the work counter shows the index pruning (the brute force needs at least n^2 / 2 here).
        int n = 4000;
        double[][] rows = manifoldBlobs(21, n, 200, 5, 40, 0.1, 0.05);
        IndexedDbscan.Result r = new IndexedDbscan(0.6, 2, 2).fitCounted(rows);
        assertArrayEquals(new Dbscan(0.6, 2).fit(rows), r.labels());
        assertTrue(r.distanceEvaluations() < (long) n * n / 10, "distance evaluations " + r.distanceEvaluations());
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new IndexedDbscan(0.5, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new IndexedDbscan(Double.NaN, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new IndexedDbscan(0.5, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new IndexedDbscan(0.5, 2, 1).fit(new double[][] {{0, 1}, {0}}));
    }
}
