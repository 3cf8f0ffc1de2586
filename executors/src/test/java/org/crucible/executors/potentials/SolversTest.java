package org.crucible.executors.potentials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class SolversTest {

    /** Random X (n x f) with columns of very different scale, y = X c + noise. */
    private static double[][] problem(long seed, int n, int f, double[] truth, double noise) {
        Random rng = new Random(seed);
        double[][] xy = new double[n][f + 1];
        for (int i = 0; i < n; i++) {
            double y = 0;
            for (int j = 0; j < f; j++) {
                xy[i][j] = rng.nextGaussian() * Math.pow(10, (j % 4) - 1);
                y += xy[i][j] * truth[j];
            }
            xy[i][f] = y + noise * rng.nextGaussian();
        }
        return xy;
    }

    private static StreamingQr accumulate(double[][] xy, int f, int block) {
        StreamingQr qr = new StreamingQr(f, block);
        for (double[] row : xy) qr.add(row, 0, row[f], 1.0);
        return qr;
    }

    @Test
    void streamingQrReproducesNormalEquationsAndResidualForAnyBlockSizeAndMerge() {
        checkStreamingQr(500, 12);
    }

    @Test
    void streamingQrWithSeveralReflectorPanels() {
        checkStreamingQr(300, 70);   // 71 columns: three panels of compact-WY reflectors
    }

    private static void checkStreamingQr(int n, int f) {
        double[] truth = new double[f];
        for (int j = 0; j < f; j++) truth[j] = j - 5.5;
        double[][] xy = problem(1 + f, n, f, truth, 0.3);
        DMatrixRMaj x = new DMatrixRMaj(n, f);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) x.set(i, j, xy[i][j]);
            y.set(i, 0, xy[i][f]);
        }
        DMatrixRMaj xtx = new DMatrixRMaj(f, f);
        CommonOps_DDRM.multTransA(x, x, xtx);
        for (int block : new int[] {1, 7, 64, 1000}) {
            LeastSquaresProblem p = accumulate(xy, f, block).problem();
            assertEquals(n, p.observations());
            double[] r = p.r();
            for (int i = 0; i < f; i++) {
                for (int j = 0; j < f; j++) {
                    double rtr = 0;
                    for (int k = 0; k < f; k++) rtr += r[k * f + i] * r[k * f + j];
                    assertEquals(xtx.get(i, j), rtr, 1e-9 * Math.abs(xtx.get(i, i) + xtx.get(j, j)), "block " + block + " (" + i + "," + j + ")");
                }
            }
            double[] c = new double[f];
            for (int j = 0; j < f; j++) c[j] = truth[j] + 0.01 * j;
            double direct = 0;
            for (int i = 0; i < n; i++) {
                double res = xy[i][f];
                for (int j = 0; j < f; j++) res -= xy[i][j] * c[j];
                direct += res * res;
            }
            assertEquals(direct, p.residual(c), 1e-9 * direct, "residual, block " + block);
        }
        // merge of two halves equals the whole
        StreamingQr a = new StreamingQr(f, 50), b = new StreamingQr(f, 50);
        for (int i = 0; i < n; i++) (i < n / 3 ? a : b).add(xy[i], 0, xy[i][f], 1.0);
        a.merge(b);
        double[] c = truth.clone();
        double whole = accumulate(xy, f, 50).problem().residual(c);
        assertEquals(whole, a.problem().residual(c), 1e-9 * whole);
        assertEquals(n, a.observations());
    }

    @Test
    void streamingQrStaysFiniteOnColumnsWhoseSquaresUnderflow() {
        // Column 1 is +-1e-160 (orthogonal to the constant column 0): its squares are subnormal, so an unscaled
        // reflector gives 2 / |v|^2 = Infinity and fills R~ with NaN (found in a SiC campaign's cycle-0 fit, where
        // high-degree ACE functions of a species pair were this small). Column 2 is 1e150 (squares overflow).
        int n = 256;
        for (int block : new int[] {128, 7}) {
            StreamingQr qr = new StreamingQr(3, block);
            double[] row = new double[3];
            for (int i = 0; i < n; i++) {
                row[0] = 1;
                row[1] = (i % 2 == 0 ? 1 : -1) * 1e-160;
                row[2] = (i % 4 < 2 ? 1 : -1) * 1e150;
                qr.add(row, 0, 2.0 + i % 3, 1.0);
            }
            double[] r = qr.triangularFactor();
            for (double x : r) assertTrue(Double.isFinite(x), "R~ entry " + x + " with blocks of " + block);
            // The columns are mutually orthogonal, so |R[j][j]| is each column's norm.
            assertEquals(Math.sqrt(n), Math.abs(r[0]), 1e-12 * Math.sqrt(n));
            assertEquals(1e-160 * Math.sqrt(n), Math.abs(r[1 * 4 + 1]), 1e-12 * 1e-160 * Math.sqrt(n));
            assertEquals(1e150 * Math.sqrt(n), Math.abs(r[2 * 4 + 2]), 1e-12 * 1e150 * Math.sqrt(n));
        }
    }

    @Test
    void streamingQrRejectsNonFiniteValues() {
        StreamingQr qr = new StreamingQr(2);
        assertThrows(IllegalArgumentException.class, () -> qr.add(new double[] {1, Double.NaN}, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> qr.add(new double[] {1, 2}, 0, Double.POSITIVE_INFINITY, 1));
    }

    @Test
    void bayesianRidgeRecoversNoiseAndSatisfiesFixedPointAndMaximisesEvidence() {
        int n = 2000, f = 10;
        double noise = 0.1;
        double[] truth = new double[f];
        for (int j = 0; j < f; j++) truth[j] = Math.sin(j + 1);
        LeastSquaresProblem p = accumulate(problem(2, n, f, truth, noise), f, 200).problem();
        Posterior post = new BayesianRidge().fit(p);
        assertEquals(1 / (noise * noise), post.alpha(), 0.1 / (noise * noise), "noise precision");
        double[] c = post.mean();
        for (int j = 0; j < f; j++) assertEquals(truth[j], c[j], 5 * Math.sqrt(post.variance(j)) + 1e-6, "coefficient " + j);
        // evidence at the optimum beats perturbed hyperparameters
        double best = evidence(p, post.alpha(), post.lambdas()[0], post.columnScales());
        assertEquals(post.logEvidence(), best, 1e-6 * Math.abs(best));
        for (double fa : new double[] {0.8, 1.25}) {
            assertTrue(evidence(p, post.alpha() * fa, post.lambdas()[0], post.columnScales()) < best);
            assertTrue(evidence(p, post.alpha(), post.lambdas()[0] * fa, post.columnScales()) < best);
        }
        // posterior mean equals alpha Sigma X^T y
        assertTrue(post.effectiveParameters() > f - 0.5 && post.effectiveParameters() <= f, "all parameters well determined: " + post.effectiveParameters());
    }

    /** log evidence by dense linear algebra on the scaled normal equations, independently of the solver. */
    private static double evidence(LeastSquaresProblem p, double alpha, double lambda, double[] d) {
        int f = p.features();
        double[] r = p.r(), z = p.z();
        DMatrixRMaj rs = new DMatrixRMaj(f, f);
        for (int i = 0; i < f; i++) for (int j = 0; j < f; j++) rs.set(i, j, r[i * f + j] / d[j]);
        DMatrixRMaj g = new DMatrixRMaj(f, f);
        CommonOps_DDRM.multTransA(rs, rs, g);
        DMatrixRMaj prec = g.copy();
        CommonOps_DDRM.scale(alpha, prec);
        for (int i = 0; i < f; i++) prec.add(i, i, lambda);
        DMatrixRMaj h = new DMatrixRMaj(f, 1);
        CommonOps_DDRM.multTransA(rs, DMatrixRMaj.wrap(f, 1, z), h);
        DMatrixRMaj c = new DMatrixRMaj(f, 1);
        CommonOps_DDRM.solve(prec, h, c);
        CommonOps_DDRM.scale(alpha, c);
        double[] cu = new double[f];
        double norm2 = 0;
        for (int j = 0; j < f; j++) {
            cu[j] = c.get(j) / d[j];
            norm2 += c.get(j) * c.get(j);
        }
        double rss = p.residual(cu);
        double logDet = Math.log(CommonOps_DDRM.det(prec));
        long n = p.observations();
        return 0.5 * (f * Math.log(lambda) + n * Math.log(alpha) - alpha * rss - lambda * norm2 - logDet - n * Math.log(2 * Math.PI));
    }

    @Test
    void ardPrunesIrrelevantFeaturesAndKeepsRelevantOnes() {
        int n = 1500, f = 20;
        double[] truth = new double[f];
        truth[1] = 2.0;
        truth[6] = -1.5;
        truth[11] = 0.7;
        LeastSquaresProblem p = accumulate(problem(3, n, f, truth, 0.05), f, 300).problem();
        Posterior post = new Ard().fit(p);
        double[] c = post.mean();
        for (int j : new int[] {1, 6, 11}) assertEquals(truth[j], c[j], 0.02, "relevant coefficient " + j);
        int pruned = 0;
        for (int j = 0; j < f; j++) {
            if (!Double.isFinite(post.lambdas()[j])) {
                pruned++;
                assertEquals(0.0, c[j], "pruned coefficient " + j + " is exactly zero");
                assertEquals(0.0, post.variance(j), "pruned coefficient " + j + " has no variance");
            }
        }
        assertTrue(pruned >= 12, "ARD pruned only " + pruned + " of 17 irrelevant features");
        assertEquals(f - pruned, post.activeFeatures());
        assertEquals("ard", post.solver());
        // Sigma factor is consistent: variances positive for kept features
        for (int j : new int[] {1, 6, 11}) assertTrue(post.variance(j) > 0);
    }

    @Test
    void conditionedPosteriorHasTheSchurComplementCovariance() {
        int n = 300, f = 6;
        double[] truth = {1, -2, 0.5, 3, -1, 2};
        Posterior post = new BayesianRidge().fit(accumulate(problem(9, n, f, truth, 0.5), f, 64).problem());
        Posterior cond = post.conditionedOnRest(4);
        int g = post.factorColumns();
        double[] l = post.covarianceFactor(), lc = cond.covarianceFactor();
        DMatrixRMaj sigma = new DMatrixRMaj(f, f);
        for (int i = 0; i < f; i++) for (int j = 0; j < f; j++) {
            double v = 0;
            for (int k = 0; k < g; k++) v += l[i * g + k] * l[j * g + k];
            sigma.set(i, j, v);
        }
        DMatrixRMaj see = new DMatrixRMaj(2, 2), sce = new DMatrixRMaj(4, 2), scc = new DMatrixRMaj(4, 4);
        CommonOps_DDRM.extract(sigma, 4, 6, 4, 6, see, 0, 0);
        CommonOps_DDRM.extract(sigma, 0, 4, 4, 6, sce, 0, 0);
        CommonOps_DDRM.extract(sigma, 0, 4, 0, 4, scc, 0, 0);
        DMatrixRMaj seeInv = new DMatrixRMaj(2, 2);
        CommonOps_DDRM.invert(see, seeInv);
        DMatrixRMaj tmp = new DMatrixRMaj(4, 2), schur = new DMatrixRMaj(4, 4);
        CommonOps_DDRM.mult(sce, seeInv, tmp);
        CommonOps_DDRM.multTransB(tmp, sce, schur);
        CommonOps_DDRM.subtract(scc, schur, schur);
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) {
            double v = 0;
            for (int k = 0; k < g; k++) v += lc[i * g + k] * lc[j * g + k];
            assertEquals(schur.get(i, j), v, 1e-10 * Math.abs(scc.get(i, i)), "(" + i + "," + j + ")");
        }
        assertArrayEquals(java.util.Arrays.copyOf(post.mean(), 4), cond.mean(), 0.0);
        assertTrue(cond.variance(0) <= post.variance(0));
    }

    @Test
    void committeeIsSeededAndDistributedAsThePosterior() {
        int n = 400, f = 5;
        double[] truth = {1, -2, 0.5, 3, -1};
        LeastSquaresProblem p = accumulate(problem(4, n, f, truth, 1.0), f, 100).problem();
        Posterior post = new BayesianRidge().fit(p);
        double[][] a = PotentialFitter.sampleCommittee(post, 8, 42);
        double[][] b = PotentialFitter.sampleCommittee(post, 8, 42);
        double[][] c = PotentialFitter.sampleCommittee(post, 8, 43);
        for (int k = 0; k < 8; k++) assertArrayEquals(a[k], b[k], 0.0);
        assertTrue(a[0][0] != c[0][0]);
        // sample variance of many draws matches Sigma_jj within sampling error
        double[][] many = PotentialFitter.sampleCommittee(post, 4000, 7);
        double[] mean = post.mean();
        for (int j = 0; j < f; j++) {
            double s2 = 0;
            for (double[] m : many) s2 += (m[j] - mean[j]) * (m[j] - mean[j]);
            s2 /= many.length;
            assertEquals(post.variance(j), s2, 0.1 * post.variance(j), "variance of coefficient " + j);
        }
    }
}
