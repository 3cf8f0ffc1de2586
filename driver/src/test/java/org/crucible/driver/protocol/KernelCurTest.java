package org.crucible.driver.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelCurTest {
    /**
     * X: rows 5, 11 and 17 are the orthonormal directions e1, e2, e3 of a rank-3 matrix; the 27 other rows are small
     * random combinations (0.2 x N(0,1) coefficients). K = X X^T.
     */
    static double[][] lowRankRows() {
        SplittableRandom rng = new SplittableRandom(7);
        double[][] x = new double[30][6];
        for (int i = 0; i < 30; i++) for (int j = 0; j < 3; j++) x[i][j] = 0.2 * gaussian(rng);
        for (int[] p : new int[][] {{5, 0}, {11, 1}, {17, 2}}) {
            Arrays.fill(x[p[0]], 0);
            x[p[0]][p[1]] = 1;
        }
        return x;
    }

    static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    static double[][] gram(double[][] x) {
        int n = x.length;
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int d = 0; d < x[i].length; d++) k[i][j] += x[i][d] * x[j][d];
        return k;
    }

    @Test
    void curPicksTheSpanningRowsOfALowRankMatrixFirst() {
        double[][] k = gram(lowRankRows());
        int[] picked = KernelCur.exact(k, 3).select(3);
        int[] sorted = picked.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {5, 11, 17}, sorted, "picked " + Arrays.toString(picked));
    }

    @Test
    void leverageScoresOfTheTopKVectorsSumToOneAndMatchTheProjection() {
        double[][] x = lowRankRows();
        double[] lev = KernelCur.exact(gram(x), 3).leverageScores();
        assertEquals(1.0, Arrays.stream(lev).sum(), 1e-9);
        // rank 3: leverage_i = x_i^T (X^T X)^-1 x_i / 3 on the 3 used columns
        double[][] g = new double[3][3];
        for (double[] r : x) for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) g[a][b] += r[a] * r[b];
        org.ejml.data.DMatrixRMaj gm = new org.ejml.data.DMatrixRMaj(g);
        org.ejml.dense.row.CommonOps_DDRM.invert(gm);
        for (int i = 0; i < x.length; i++) {
            double q = 0;
            for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) q += x[i][a] * gm.get(a, b) * x[i][b];
            assertEquals(q / 3, lev[i], 1e-9, "row " + i);
        }
    }

    @Test
    void reOrthogonalisationNeverPicksTheSameDirectionTwice() {
        // rows 0 and 1 are the same direction with the largest norm; a rank-2 kernel must give one of them and row 2
        double[][] x = {{3, 0}, {3, 0}, {0, 1}, {0.1, 0.1}, {0.05, -0.1}};
        int[] picked = KernelCur.exact(gram(x), 2).select(2);
        assertEquals(2, picked.length);
        assertTrue(picked[0] == 0 || picked[0] == 1 || picked[1] == 0 || picked[1] == 1, Arrays.toString(picked));
        assertTrue(picked[0] == 2 || picked[1] == 2, Arrays.toString(picked));
    }

    @Test
    void nystromWithLandmarksSpanningTheKernelAgreesWithTheExactSelection() {
        double[][] x = lowRankRows();
        double[][] k = gram(x);
        int n = k.length;
        int[] land = KernelCur.landmarks(n, 8, 3L);
        assertEquals(8, land.length);
        double[][] c = new double[n][land.length];
        for (int i = 0; i < n; i++) for (int j = 0; j < land.length; j++) c[i][j] = k[i][land[j]];
        KernelCur approx = KernelCur.nystrom(c, land, 3);
        KernelCur exact = KernelCur.exact(k, 3);
        assertArrayEquals(exact.leverageScores(), approx.leverageScores(), 1e-8);
        assertArrayEquals(exact.select(3), approx.select(3));
    }

    @Test
    void nystromOnAFullRankKernelStaysCloseToTheExactLeverage() {
        // a Gaussian kernel on 40 random 2-D points, 20 landmarks: the top-5 leverage agrees to a few per cent
        SplittableRandom rng = new SplittableRandom(11);
        int n = 40;
        double[][] p = new double[n][2];
        for (double[] r : p) {
            r[0] = rng.nextDouble();
            r[1] = rng.nextDouble();
        }
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) k[i][j] = Math.exp(-((p[i][0] - p[j][0]) * (p[i][0] - p[j][0]) + (p[i][1] - p[j][1]) * (p[i][1] - p[j][1])) / 0.5);
        int[] land = KernelCur.landmarks(n, 20, 5L);
        double[][] c = new double[n][land.length];
        for (int i = 0; i < n; i++) for (int j = 0; j < land.length; j++) c[i][j] = k[i][land[j]];
        double[] exact = KernelCur.exact(k, 5).leverageScores();
        double[] approx = KernelCur.nystrom(c, land, 5).leverageScores();
        double err = 0;
        for (int i = 0; i < n; i++) err += Math.abs(exact[i] - approx[i]);
        assertTrue(err < 0.05, "L1 leverage difference " + err);
    }
}
