package org.crucible.executors.potentials;

import java.util.Arrays;

/**
 * Automatic relevance determination (MacKay; Tipping's sparse Bayesian learning; HAL paper, section E): the
 * Bayesian ridge model with one prior precision lambda_j per (column-scaled) coefficient. Iterates
 * Sigma = (alpha X'^T X' + diag(lambda))^-1, c' = alpha Sigma X'^T y, gamma_j = 1 - lambda_j Sigma_jj,
 * lambda_j = gamma_j / c'_j^2, alpha = (N - sum gamma) / |y - X' c'|^2, and prunes feature j (c_j = 0 exactly,
 * removed from Sigma) once lambda_j exceeds {@code pruneThreshold}. Starts from the {@link BayesianRidge} optimum.
 *
 * <p>Numerics: the precision matrix is factorised by Cholesky (EJML-free dense code on at most F x F), with a
 * diagonal jitter of 1e-12 trace/F, growing tenfold, when it is not numerically positive definite.
 */
public final class Ard {
    private final double pruneThreshold;
    private final int maxIterations;
    private final double tolerance;

    /**
     * @param pruneThreshold lambda_j above which feature j is pruned (default 1e4, as in scikit-learn's ARD)
     * @param tolerance      max relative change of the scaled coefficients at which iteration stops
     */
    public Ard(double pruneThreshold, int maxIterations, double tolerance) {
        if (!(pruneThreshold > 0)) throw new IllegalArgumentException("pruneThreshold must be > 0, got " + pruneThreshold);
        if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        if (!(tolerance > 0)) throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
        this.pruneThreshold = pruneThreshold;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    public Ard() {
        this(1e4, 300, 1e-6);
    }

    public Posterior fit(LeastSquaresProblem p) {
        Posterior start = new BayesianRidge().fit(p);
        int f = p.features();
        long n = p.observations();
        double[] d = start.columnScales();
        // G = R'^T R', h = R'^T z on scaled columns
        double[] rs = new double[f * f];
        for (int i = 0; i < f; i++) for (int j = i; j < f; j++) rs[i * f + j] = p.rAt(i, j) / d[j];
        double[] g = new double[f * f];
        double[] h = new double[f];
        for (int k = 0; k < f; k++) {
            for (int i = k; i < f; i++) {
                double rki = rs[k * f + i];
                if (rki == 0) continue;
                h[i] += rki * p.zAt(k);
                for (int j = k; j < f; j++) g[i * f + j] += rki * rs[k * f + j];
            }
        }
        for (int i = 0; i < f; i++) for (int j = 0; j < i; j++) g[i * f + j] = g[j * f + i];

        double alpha = start.alpha();
        double[] lambda = new double[f];
        Arrays.fill(lambda, start.lambdas()[0]);
        boolean[] keep = new boolean[f];
        Arrays.fill(keep, true);
        double[] c = new double[f];
        double[] sigmaDiag = new double[f];
        int it = 0;
        double gammaSum = 0;
        Factor fac = null;
        boolean converged = false;
        while (it < maxIterations && !converged) {
            it++;
            int[] idx = active(keep);
            fac = factor(g, f, idx, alpha, lambda);
            double[] cA = fac.solve(scaledCopy(h, idx, alpha));
            double[] cNew = new double[f];
            for (int a = 0; a < idx.length; a++) cNew[idx[a]] = cA[a];
            double[] diag = fac.inverseDiagonal();
            Arrays.fill(sigmaDiag, 0);
            for (int a = 0; a < idx.length; a++) sigmaDiag[idx[a]] = diag[a];
            double rss = residualScaled(p, rs, cNew);
            gammaSum = 0;
            double change = 0, scale = 0;
            for (int a = 0; a < idx.length; a++) {
                int j = idx[a];
                double gj = Math.max(0, 1 - lambda[j] * sigmaDiag[j]);
                gammaSum += gj;
                lambda[j] = gj / Math.max(cNew[j] * cNew[j], Double.MIN_NORMAL);
                change = Math.max(change, Math.abs(cNew[j] - c[j]));
                scale = Math.max(scale, Math.abs(cNew[j]));
            }
            alpha = (n - gammaSum) / Math.max(rss, Double.MIN_NORMAL);
            c = cNew;
            int pruned = 0;
            for (int j : idx) {
                if (lambda[j] > pruneThreshold) {
                    keep[j] = false;
                    lambda[j] = Double.POSITIVE_INFINITY;
                    c[j] = 0;
                    pruned++;
                }
            }
            if (active(keep).length == 0) throw new IllegalStateException("ARD pruned every feature (threshold " + pruneThreshold + ")");
            converged = pruned == 0 && change <= tolerance * Math.max(scale, Double.MIN_NORMAL);
        }
        // posterior at the final hyperparameters and support
        int[] idx = active(keep);
        fac = factor(g, f, idx, alpha, lambda);
        double[] cA = fac.solve(scaledCopy(h, idx, alpha));
        double[] mean = new double[f];
        for (int a = 0; a < idx.length; a++) mean[idx[a]] = cA[a] / d[idx[a]];
        double[] cs = new double[f];
        for (int a = 0; a < idx.length; a++) cs[idx[a]] = cA[a];
        double rss = residualScaled(p, rs, cs);
        // Sigma_A = (L L^T)^-1 = L^-T L^-1, so the factor is L^-T (upper triangular), columns back to unscaled
        double[] linvT = fac.inverseTransposedFactor();
        double[] factor = new double[f * f];
        int m = idx.length;
        double logDetPrecision = 0, prior = 0, logLambda = 0;
        for (int a = 0; a < m; a++) {
            logDetPrecision += 2 * Math.log(fac.l[a * m + a]);
            prior += lambda[idx[a]] * cA[a] * cA[a];
            logLambda += Math.log(lambda[idx[a]]);
            for (int b = 0; b < m; b++) factor[idx[a] * f + idx[b]] = linvT[a * m + b] / d[idx[a]];
        }
        double gamma = 0;
        double[] diag = fac.inverseDiagonal();
        for (int a = 0; a < m; a++) gamma += 1 - lambda[idx[a]] * diag[a];
        double logEvidence = 0.5 * (logLambda + n * Math.log(alpha) - alpha * rss - prior - logDetPrecision - n * Math.log(2 * Math.PI));
        return new Posterior(mean, factor, alpha, lambda, d, logEvidence, gamma, it, "ard");
    }

    private static int[] active(boolean[] keep) {
        int n = 0;
        for (boolean k : keep) if (k) n++;
        int[] idx = new int[n];
        int a = 0;
        for (int j = 0; j < keep.length; j++) if (keep[j]) idx[a++] = j;
        return idx;
    }

    private static double[] scaledCopy(double[] h, int[] idx, double alpha) {
        double[] out = new double[idx.length];
        for (int a = 0; a < idx.length; a++) out[a] = alpha * h[idx[a]];
        return out;
    }

    private static double residualScaled(LeastSquaresProblem p, double[] rs, double[] c) {
        int f = p.features();
        double sum = p.residualOutsideSpan();
        for (int i = 0; i < f; i++) {
            double v = p.zAt(i);
            for (int j = i; j < f; j++) v -= rs[i * f + j] * c[j];
            sum += v * v;
        }
        return sum;
    }

    /** Cholesky factor of alpha G_AA + diag(lambda_A), with jitter when needed. */
    private static Factor factor(double[] g, int f, int[] idx, double alpha, double[] lambda) {
        int m = idx.length;
        double[] a = new double[m * m];
        double trace = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) a[i * m + j] = alpha * g[idx[i] * f + idx[j]];
            a[i * m + i] += lambda[idx[i]];
            trace += a[i * m + i];
        }
        double jitter = 0;
        for (int attempt = 0; attempt < 12; attempt++) {
            double[] l = Factor.cholesky(a, m, jitter);
            if (l != null) return new Factor(l, m);
            jitter = jitter == 0 ? 1e-12 * trace / m : jitter * 10;
        }
        throw new IllegalStateException("ARD precision matrix is not positive definite even with jitter " + jitter);
    }

    /** Lower-triangular Cholesky factor L (m x m row-major) of a symmetric positive-definite matrix. */
    static final class Factor {
        final double[] l;
        final int m;
        private double[] inverse;   // L^-1, computed once on demand

        Factor(double[] l, int m) {
            this.l = l;
            this.m = m;
        }

        static double[] cholesky(double[] a, int m, double jitter) {
            double[] l = new double[m * m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = a[i * m + j] + (i == j ? jitter : 0);
                    for (int k = 0; k < j; k++) s -= l[i * m + k] * l[j * m + k];
                    if (i == j) {
                        if (!(s > 0)) return null;
                        l[i * m + i] = Math.sqrt(s);
                    } else {
                        l[i * m + j] = s / l[j * m + j];
                    }
                }
            }
            return l;
        }

        double[] solve(double[] rhs) {
            double[] y = rhs.clone();
            for (int i = 0; i < m; i++) {
                double s = y[i];
                for (int k = 0; k < i; k++) s -= l[i * m + k] * y[k];
                y[i] = s / l[i * m + i];
            }
            for (int i = m - 1; i >= 0; i--) {
                double s = y[i];
                for (int k = i + 1; k < m; k++) s -= l[k * m + i] * y[k];
                y[i] = s / l[i * m + i];
            }
            return y;
        }

        /** L^-1 (lower triangular), cached. */
        double[] inverseFactor() {
            if (inverse != null) return inverse;
            double[] inv = new double[m * m];
            // row by row so every inner loop runs over contiguous memory
            for (int i = 0; i < m; i++) {
                int ri = i * m;
                for (int k = 0; k < i; k++) {
                    double a = l[ri + k];
                    if (a == 0) continue;
                    int rk = k * m;
                    for (int j = 0; j <= k; j++) inv[ri + j] -= a * inv[rk + j];
                }
                double d = l[ri + i];
                for (int j = 0; j < i; j++) inv[ri + j] /= d;
                inv[ri + i] = 1 / d;
            }
            inverse = inv;
            return inv;
        }

        double[] inverseTransposedFactor() {
            double[] inv = inverseFactor();
            double[] t = new double[m * m];
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) t[i * m + j] = inv[j * m + i];
            return t;
        }

        /** diag((L L^T)^-1) = column sums of squares of L^-1. */
        double[] inverseDiagonal() {
            double[] inv = inverseFactor();
            double[] diag = new double[m];
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) diag[j] += inv[i * m + j] * inv[i * m + j];
            return diag;
        }
    }
}
